import NIOCore
import Platform

/// What the engine needs to run one media stream, read from its row when the node starts it.
struct StreamSpec: Sendable {
    var description: MediaStreamDescription
    var url: String
    var target: EgressTarget
    /// Egress-checked addresses of the consumer, tried in turn.
    var addresses: [SocketAddress]
    var signature: String
    var reconnectAttempts: Int
    /// The bot participant's published track, for bidirectional streams.
    var bot: BotBinding?

    struct BotBinding: Sendable {
        var participant: SID
        var track: SID
    }

    var sid: SID { description.streamSid }
    var room: SID { description.roomSid }
    var participant: SID { description.participantSid }
    var format: MediaStreamDescription.Format { description.format }
    var inbound: Bool { description.tracks.contains(.inbound) }
    var outbound: Bool { description.tracks.contains(.outbound) }

    /// The rate the stream's audio is decoded, mixed and encoded at.
    var sampleRate: Int {
        switch format {
        case .muLaw: 8000
        case .linear16(let sampleRate): sampleRate
        }
    }

    /// About one second (50 ticks) of the stream's frames as written: the most that may wait for a slow
    /// consumer before frames are dropped.
    var pendingBytesBound: Int {
        let bytesPerTick = switch format {
        // A `media` message per track: 160 μ-law bytes, 216 in base64, in about 180 bytes of JSON.
        case .muLaw: 400 * description.tracks.count
        case .linear16(let sampleRate): sampleRate / 50 * 2 * description.tracks.count
        }
        return 50 * bytesPerTick
    }

    init(_ stream: MediaStream, target: EgressTarget, addresses: [SocketAddress], bot: BotBinding?) {
        let format: MediaStreamDescription.Format = switch stream.audioFormat.encoding {
        case .mulaw: .muLaw
        case .l16: .linear16(sampleRate: stream.audioFormat.sampleRate)
        }
        description = MediaStreamDescription(
            accountSid: stream.accountSid, streamSid: stream.sid, roomSid: stream.roomSid, participantSid: stream.participantSid,
            tracks: (stream.track.includesInbound ? [.inbound] : []) + (stream.track.includesOutbound ? [.outbound] : []),
            customParameters: stream.parameters.map { ($0.name, $0.value) }, format: format)
        url = stream.url
        self.target = target
        self.addresses = addresses
        signature = stream.upgradeSignature
        reconnectAttempts = stream.reconnectAttempts
        self.bot = bot
    }
}

/// How a stream ended, as the engine saw it.
enum StreamEnding: Sendable, Equatable {
    /// Stopped by the control plane (REST, its participant or room gone): already recorded.
    case stopped
    /// The consumer closed the WebSocket.
    case consumerClosed
    /// The consumer could not be reached, or its connection kept dropping past the stream's retries.
    case failed(String)
}

/// What the engine reports about streams, in order per stream.
enum StreamEvent: Sendable {
    /// The consumer accepted the WebSocket and got `start` (the first time only).
    case started(SID)
    /// Frames dropped for a slow consumer in the last second.
    case framesDropped(SID, count: Int)
    case ended(SID, StreamEnding)
}
