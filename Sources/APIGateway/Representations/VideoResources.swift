import MediaNodes
import Platform

/// Where Twilio's Video product lives: `/video/v1/…` (Twilio's `https://video.twilio.com/v1/…`), with
/// absolute links as in every v1 product.
enum VideoV1 {
    static let mount = "/video"
    static let version = "/v1"

    /// A route template under the mount.
    static func route(_ path: String) -> String { mount + version + path }
    /// A list's path for ``ListEnvelope`` (which adds the mount).
    static func path(_ path: String) -> String { version + path }
    /// An absolute URL as it appears in responses.
    static func url(_ publicURL: String, _ path: String) -> String { publicURL + mount + version + path }

    /// `/Rooms/RM…`
    static func roomPath(_ room: SID) -> String { "/Rooms/\(room.rawValue)" }
    /// `/Rooms/RM…/Participants/PA…`
    static func participantPath(room: SID, participant: SID) -> String {
        "/Rooms/\(room.rawValue)/Participants/\(participant.rawValue)"
    }
}

/// `video.v1.room`.
struct RoomResource: JSONRepresentable {
    let room: Room
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        let settings = room.settings
        let path = VideoV1.roomPath(room.sid)
        json.field("sid", room.sid.rawValue)
        json.field("status", room.status.rawValue)
        json.field("date_created", TwilioDate.iso8601(room.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(room.dateUpdated))
        json.field("account_sid", room.accountSid.rawValue)
        // Deprecated by Twilio, "now always considered to be true".
        json.field("enable_turn", true)
        json.field("unique_name", room.uniqueName)
        json.field("status_callback", settings.statusCallback)
        json.field("status_callback_method", settings.statusCallbackMethod.rawValue)
        json.field("end_time", room.endTime.map(TwilioDate.iso8601))
        json.field("duration", room.duration)
        json.field("type", settings.type.rawValue)
        json.field("max_participants", settings.maxParticipants)
        json.field("max_participant_duration", settings.maxParticipantDuration)
        json.field("max_concurrent_published_tracks", settings.maxConcurrentPublishedTracks)
        json.field("record_participants_on_connect", settings.recordParticipantsOnConnect)
        json.field("video_codecs", strings: settings.videoCodecs)
        json.field("media_region", settings.mediaRegion)
        json.field("audio_only", settings.audioOnly)
        json.field("empty_room_timeout", settings.emptyRoomTimeout)
        json.field("unused_room_timeout", settings.unusedRoomTimeout)
        json.field("large_room", settings.largeRoom)
        json.field("url", VideoV1.url(publicURL, path))
        json.field("links") { links in
            links.field("participants", VideoV1.url(publicURL, path + "/Participants"))
            links.field("recordings", VideoV1.url(publicURL, path + "/Recordings"))
            links.field("transcriptions", VideoV1.url(publicURL, path + "/Transcriptions"))
            links.field("recording_rules", VideoV1.url(publicURL, path + "/RecordingRules"))
        }
    }
}

/// `video.v1.room.room_participant`.
struct ParticipantResource: JSONRepresentable {
    let participant: Participant
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        let path = VideoV1.participantPath(room: participant.roomSid, participant: participant.sid)
        json.field("sid", participant.sid.rawValue)
        json.field("room_sid", participant.roomSid.rawValue)
        json.field("account_sid", participant.accountSid.rawValue)
        json.field("status", participant.status.rawValue)
        json.field("identity", participant.identity)
        json.field("date_created", TwilioDate.iso8601(participant.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(participant.dateUpdated))
        json.field("start_time", TwilioDate.iso8601(participant.startTime))
        json.field("end_time", participant.endTime.map(TwilioDate.iso8601))
        json.field("duration", participant.duration)
        json.field("url", VideoV1.url(publicURL, path))
        json.field("links") { links in
            links.field("published_tracks", VideoV1.url(publicURL, path + "/PublishedTracks"))
            links.field("subscribed_tracks", VideoV1.url(publicURL, path + "/SubscribedTracks"))
            links.field("subscribe_rules", VideoV1.url(publicURL, path + "/SubscribeRules"))
            links.field("anonymize", VideoV1.url(publicURL, path + "/Anonymize"))
        }
    }
}

/// `video.v1.room.room_participant.room_participant_published_track`.
struct PublishedTrackResource: JSONRepresentable {
    let track: PublishedTrack
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        let path = VideoV1.participantPath(room: track.roomSid, participant: track.participantSid)
        json.field("sid", track.sid.rawValue)
        json.field("participant_sid", track.participantSid.rawValue)
        json.field("room_sid", track.roomSid.rawValue)
        json.field("name", track.name)
        json.field("date_created", TwilioDate.iso8601(track.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(track.dateUpdated))
        json.field("enabled", track.enabled)
        json.field("kind", track.kind.rawValue)
        json.field("url", VideoV1.url(publicURL, path + "/PublishedTracks/\(track.sid.rawValue)"))
    }
}

/// `video.v1.room.room_participant.room_participant_subscribed_track`: the published track as its
/// subscriber (`participant_sid`) receives it; `publisher_sid` is who publishes it. Created when the
/// subscription started; updated then or when the track last changed (muted, unmuted), whichever is later.
struct SubscribedTrackResource: JSONRepresentable {
    let subscribed: SubscribedTrack
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        let track = subscribed.track
        let path = VideoV1.participantPath(room: track.roomSid, participant: subscribed.subscriberSid)
        json.field("sid", track.sid.rawValue)
        json.field("participant_sid", subscribed.subscriberSid.rawValue)
        json.field("publisher_sid", track.participantSid.rawValue)
        json.field("room_sid", track.roomSid.rawValue)
        json.field("name", track.name)
        json.field("date_created", TwilioDate.iso8601(subscribed.dateSubscribed))
        json.field("date_updated", TwilioDate.iso8601(max(subscribed.dateSubscribed, track.dateUpdated)))
        json.field("enabled", track.enabled)
        json.field("kind", track.kind.rawValue)
        json.field("url", VideoV1.url(publicURL, path + "/SubscribedTracks/\(track.sid.rawValue)"))
    }
}
