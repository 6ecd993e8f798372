import MediaNodes
import Platform

/// `video.v1.room.stream` (ours; Twilio's Calls Streams resource with the room and participant in place of
/// the call). The consumer's URL, custom parameters and upgrade signature are not shown.
struct StreamResource: JSONRepresentable {
    let stream: MediaStream
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        json.field("sid", stream.sid.rawValue)
        json.field("account_sid", stream.accountSid.rawValue)
        json.field("room_sid", stream.roomSid.rawValue)
        json.field("participant_sid", stream.participantSid.rawValue)
        json.field("name", stream.name)
        json.field("status", stream.status.rawValue)
        json.field("track", stream.track.rawValue)
        json.field("audio_format", stream.audioFormat.encoding.rawValue)
        json.field("sample_rate", stream.audioFormat.sampleRate)
        json.field("bidirectional", stream.bidirectional)
        json.field("bot_participant_sid", stream.botParticipantSid?.rawValue)
        json.field("status_callback", stream.statusCallback)
        json.field("status_callback_method", stream.statusCallbackMethod.rawValue)
        json.field("error", stream.error)
        json.field("date_created", TwilioDate.iso8601(stream.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(stream.dateUpdated))
        json.field("url", VideoV1.url(publicURL, VideoV1.streamPath(room: stream.roomSid, stream: stream.sid)))
    }
}

extension VideoV1 {
    /// `/Rooms/RM…/Streams/MZ…`
    static func streamPath(room: SID, stream: SID) -> String { "/Rooms/\(room.rawValue)/Streams/\(stream.rawValue)" }
}
