import Foundation
import Platform

/// A room participant's audio streamed to a WebSocket consumer (`MZ…`): Twilio's Media Streams, with the
/// room and participant in place of the call.
public struct MediaStream: Sendable, Equatable {
    public var sid: SID
    public var accountSid: SID
    public var roomSid: SID
    /// Whose audio is streamed.
    public var participantSid: SID
    /// Unique among the room's in-progress streams; `nil` when not given.
    public var name: String?
    /// The consumer's `ws://` or `wss://` URL.
    public var url: String
    public var track: MediaStreamTrack
    public var audioFormat: MediaStreamAudioFormat
    /// Whether the consumer's audio is published into the room (by the bot participant).
    public var bidirectional: Bool
    /// The identity the consumer's audio is published under; `nil` unless bidirectional.
    public var botIdentity: String?
    /// The bot participant, once it joined.
    public var botParticipantSid: SID?
    /// `start.customParameters`, in the order given.
    public var parameters: [MediaStreamParameter]
    public var statusCallback: String?
    public var statusCallbackMethod: DeliveryMethod
    /// `X-Twilio-Signature` of the WebSocket upgrade request (the URL signed with the account's auth token).
    public var upgradeSignature: String
    /// How often a dropped consumer connection is retried before the stream ends in error.
    public var reconnectAttempts: Int
    public var status: MediaStreamStatus
    /// Why the stream ended in error; `nil` otherwise.
    public var error: String?
    public var dateCreated: Date
    public var dateUpdated: Date
}

public enum MediaStreamStatus: String, Sendable, CaseIterable {
    case inProgress = "in-progress"
    case stopped
}

/// Which audio goes to the consumer: what the participant publishes (its microphone), what it hears (the mix
/// of everyone else's audio in the room), or both.
public enum MediaStreamTrack: String, Sendable, CaseIterable {
    case inbound = "inbound_track"
    case outbound = "outbound_track"
    case both = "both_tracks"

    /// Twilio's names (`inbound_track`…) or their short forms (`inbound`, `outbound`, `both`).
    public init?(parameter: String) {
        switch parameter {
        case "inbound", "inbound_track": self = .inbound
        case "outbound", "outbound_track": self = .outbound
        case "both", "both_tracks": self = .both
        default: return nil
        }
    }

    public var includesInbound: Bool { self != .outbound }
    public var includesOutbound: Bool { self != .inbound }
}

/// How audio reaches the consumer: Twilio's μ-law 8 kHz JSON `media` messages, or (beyond Twilio) binary
/// frames of little-endian signed 16-bit PCM. Always mono.
public struct MediaStreamAudioFormat: Sendable, Equatable {
    public enum Encoding: String, Sendable, CaseIterable {
        case mulaw = "audio/x-mulaw"
        case l16 = "audio/x-l16"

        /// The sample rates the encoding is offered at, the default first.
        public var sampleRates: [Int] {
            switch self {
            case .mulaw: [8000]
            case .l16: [16000, 8000, 24000, 48000]
            }
        }
    }

    public let encoding: Encoding
    public let sampleRate: Int

    /// `encoding` at `sampleRate` (its default when `nil`); `nil` for a rate the encoding is not offered at.
    public init?(encoding: Encoding, sampleRate: Int? = nil) {
        let rate = sampleRate ?? encoding.sampleRates[0]
        guard encoding.sampleRates.contains(rate) else { return nil }
        self.encoding = encoding
        self.sampleRate = rate
    }

    /// Twilio's format: μ-law at 8 kHz.
    public static let twilio = MediaStreamAudioFormat(encoding: .mulaw)!
}

/// One of `start.customParameters` (`Parameter{N}.Name` / `Parameter{N}.Value`).
public struct MediaStreamParameter: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
