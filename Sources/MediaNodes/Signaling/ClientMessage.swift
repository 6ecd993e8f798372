import Foundation
import Platform

/// A request from a signaling client (docs/video.md), parsed from one JSON text frame.
public struct ClientMessage: Sendable, Equatable {
    public enum Request: Sendable, Equatable {
        case join(ticket: String)
        case publish(sdp: String, tracks: [TrackOffer])
        case unpublish(track: SID)
        case subscribe(track: SID, quality: SimulcastPreference)
        case unsubscribe(track: SID)
        case setQuality(track: SID, quality: SimulcastPreference)
        case subscriberAnswer(revision: Int, sdp: String)
        case mute(track: SID)
        case unmute(track: SID)
        case leave
        case ping

        /// `subscribe` (true) or `unsubscribe` (false).
        var subscribes: Bool {
            if case .subscribe = self { true } else { false }
        }
    }

    /// A track a `publish` announces.
    public struct TrackOffer: Sendable, Equatable {
        public var name: String
        public var kind: TrackKind
        public var mid: String?
    }

    /// Echoed in the reply.
    public var id: String?
    public var request: Request

    /// Limits on what a client may announce.
    static let maximumTracksPerPublish = 16
    static let maximumTrackNameLength = 128

    /// Parses a frame; the error is the reply to send (its `id` when one could be read).
    public static func parse(_ text: String) -> Result<ClientMessage, SignalingError> {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            return .failure(.malformed(id: nil, "a message is one JSON object"))
        }
        let id = object["id"] as? String
        guard let type = object["type"] as? String else { return .failure(.malformed(id: id, "\"type\" is required")) }
        func track() throws(SignalingError) -> SID {
            guard let sid = (object["track"] as? String).flatMap({ SID($0, prefix: .track) }) else {
                throw .malformed(id: id, "\"track\" must be a track SID (MT…)")
            }
            return sid
        }
        do {
            let request: Request
            switch type {
            case "join":
                guard let ticket = object["ticket"] as? String else { throw SignalingError.malformed(id: id, "\"ticket\" is required") }
                request = .join(ticket: ticket)
            case "publish":
                request = try publish(object, id: id)
            case "unpublish": request = .unpublish(track: try track())
            case "subscribe": request = .subscribe(track: try track(), quality: try quality(object, id: id))
            case "set-quality": request = .setQuality(track: try track(), quality: try quality(object, id: id))
            case "subscriber-answer":
                guard let revision = object["revision"] as? Int, let sdp = object["sdp"] as? String, !sdp.isEmpty else {
                    throw SignalingError.malformed(id: id, "\"revision\" (a number) and \"sdp\" (the answer) are required")
                }
                request = .subscriberAnswer(revision: revision, sdp: sdp)
            case "unsubscribe": request = .unsubscribe(track: try track())
            case "mute": request = .mute(track: try track())
            case "unmute": request = .unmute(track: try track())
            case "leave": request = .leave
            case "ping": request = .ping
            default: throw SignalingError.malformed(id: id, "unknown message type \"\(type)\"")
            }
            return .success(ClientMessage(id: id, request: request))
        } catch let error as SignalingError {
            return .failure(error)
        } catch {
            return .failure(.malformed(id: id, "\(error)"))
        }
    }

    /// The simulcast layer wanted (default: the highest).
    private static func quality(_ object: [String: Any], id: String?) throws(SignalingError) -> SimulcastPreference {
        guard let value = object["quality"] else { return .high }
        guard let text = value as? String, let quality = SimulcastPreference(rawValue: text) else {
            throw .malformed(id: id, "\"quality\" must be low, medium or high")
        }
        return quality
    }

    private static func publish(_ object: [String: Any], id: String?) throws(SignalingError) -> Request {
        guard let sdp = object["sdp"] as? String, !sdp.isEmpty else { throw .malformed(id: id, "\"sdp\" (an offer) is required") }
        guard let list = object["tracks"] as? [[String: Any]], !list.isEmpty, list.count <= maximumTracksPerPublish else {
            throw .malformed(id: id, "\"tracks\" must list 1 to \(maximumTracksPerPublish) tracks")
        }
        var tracks: [TrackOffer] = []
        for entry in list {
            guard let name = entry["name"] as? String, !name.isEmpty, name.count <= maximumTrackNameLength else {
                throw .malformed(id: id, "each track needs a \"name\" of 1 to \(maximumTrackNameLength) characters")
            }
            guard let kind = (entry["kind"] as? String).flatMap(TrackKind.init(rawValue:)) else {
                throw .malformed(id: id, "track \"kind\" must be audio, video or data")
            }
            tracks.append(TrackOffer(name: name, kind: kind, mid: entry["mid"] as? String))
        }
        return .publish(sdp: sdp, tracks: tracks)
    }
}

/// A request that failed: the `error` reply's code and message.
public struct SignalingError: Error, Sendable, Equatable {
    public var id: String?
    public var code: Int
    public var message: String

    public init(id: String?, code: Int, message: String) {
        self.id = id
        self.code = code
        self.message = message
    }

    /// 53403: Twilio's "client sent an invalid message" for its signaling.
    static func malformed(id: String?, _ message: String) -> SignalingError {
        SignalingError(id: id, code: 53403, message: "Invalid signaling message: \(message)")
    }
}
