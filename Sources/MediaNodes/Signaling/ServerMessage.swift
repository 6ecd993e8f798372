import Foundation
import Platform

/// Messages the node sends (docs/video.md), as JSON text.
enum ServerMessage {
    /// A participant as the others see it.
    struct ParticipantState: Sendable {
        var sid: SID
        var identity: String
        var tracks: [PublishedTrack]
    }

    static func joined(id: String?, room: Room, me: Participant, others: [ParticipantState]) -> String {
        message("joined", id: id) { json in
            json.field("room") { object in
                object.field("sid", room.sid.rawValue)
                object.field("name", room.uniqueName)
                object.field("type", room.settings.type.rawValue)
                object.field("max_participants", room.settings.maxParticipants)
                object.field("audio_only", room.settings.audioOnly)
            }
            json.field("participant") { object in
                object.field("sid", me.sid.rawValue)
                object.field("identity", me.identity)
            }
            json.field("participants", objects: others) { participant, object in write(participant, to: &object) }
        }
    }

    static func answer(id: String?, sdp: String, tracks: [(PublishedTrack, mid: String?)]) -> String {
        message("answer", id: id) { json in
            json.field("sdp", sdp)
            json.field("tracks", objects: tracks) { entry, object in
                write(entry.0, to: &object)
                object.field("mid", entry.mid)
            }
        }
    }

    static func participantConnected(_ participant: ParticipantState) -> String {
        message("participant-connected", id: nil) { json in json.field("participant") { write(participant, to: &$0) } }
    }

    static func participantLeft(_ type: String, sid: SID, identity: String) -> String {
        message(type, id: nil) { json in
            json.field("participant") { object in
                object.field("sid", sid.rawValue)
                object.field("identity", identity)
            }
        }
    }

    /// `track-published` / `track-updated` (pushed), or a request's reply of that shape.
    static func track(_ type: String, id: String? = nil, _ track: PublishedTrack) -> String {
        message(type, id: id) { json in
            json.field("participant", track.participantSid.rawValue)
            json.field("track") { write(track, to: &$0) }
        }
    }

    static func trackUnpublished(id: String? = nil, participant: SID, track: SID) -> String {
        message("track-unpublished", id: id) { json in
            json.field("participant", participant.rawValue)
            json.field("track", track.rawValue)
        }
    }

    /// `subscribed` / `unsubscribed` / `unpublished` / `pong`: a reply naming at most a track.
    static func reply(_ type: String, id: String?, track: SID? = nil) -> String {
        message(type, id: id) { json in if let track { json.field("track", track.rawValue) } }
    }

    /// The node's offer for the client's subscribe peer connection.
    static func subscriberOffer(_ offer: SubscriberOffer) -> String {
        message("subscriber-offer", id: nil) { json in
            json.field("revision", offer.revision)
            json.field("sdp", offer.sdp)
            json.field("tracks", objects: offer.sections) { section, object in
                object.field("mid", section.mid)
                object.field("track", section.track.rawValue)
                object.field("participant", section.publisher.rawValue)
                object.field("kind", section.kind.rawValue)
            }
        }
    }

    static func dominantSpeaker(_ participant: SID?) -> String {
        message("dominant-speaker", id: nil) { json in json.field("participant", participant?.rawValue) }
    }

    static func reconnect(reason: String) -> String {
        message("reconnect", id: nil) { $0.field("reason", reason) }
    }

    static func disconnected(reason: String) -> String {
        message("disconnected", id: nil) { $0.field("reason", reason) }
    }

    static func error(_ error: SignalingError) -> String {
        message("error", id: error.id) { json in
            json.field("code", error.code)
            json.field("message", error.message)
        }
    }

    private static func message(_ type: String, id: String?, _ body: (inout JSONObjectWriter) -> Void) -> String {
        var json = JSONObjectWriter()
        json.field("type", type)
        if let id { json.field("id", id) }
        body(&json)
        return String(decoding: json.finished(), as: UTF8.self)
    }

    private static func write(_ participant: ParticipantState, to object: inout JSONObjectWriter) {
        object.field("sid", participant.sid.rawValue)
        object.field("identity", participant.identity)
        object.field("tracks", objects: participant.tracks) { track, object in write(track, to: &object) }
    }

    private static func write(_ track: PublishedTrack, to object: inout JSONObjectWriter) {
        object.field("sid", track.sid.rawValue)
        object.field("name", track.name)
        object.field("kind", track.kind.rawValue)
        object.field("enabled", track.enabled)
    }
}
