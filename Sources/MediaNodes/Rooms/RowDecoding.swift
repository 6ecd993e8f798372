import Foundation
import Platform
import PostgresNIO

/// Decoding of the video tables' rows.
enum VideoRows {
    static let roomColumns = """
        sid, account_sid, unique_name, status, type, max_participants, max_participant_duration, status_callback,
        status_callback_method, empty_room_timeout, unused_room_timeout, audio_only, record_participants_on_connect,
        video_codecs, media_region, large_room, node_sid, end_time, date_created, date_updated, seq
        """

    static func room(_ row: PostgresRow) throws -> (sequence: Int64, item: Room) {
        let row = row.makeRandomAccess()
        var settings = RoomSettings()
        let sid = try row.sid("sid", table: "rooms")
        guard let status = RoomStatus(rawValue: try row.value("status")), let type = RoomType(rawValue: try row.value("type")),
            let method = DeliveryMethod(rawValue: try row.value("status_callback_method"))
        else { throw CorruptRowError(table: "rooms", key: sid.rawValue) }
        settings.type = type
        settings.maxParticipants = try row.value("max_participants")
        settings.maxParticipantDuration = try row.value("max_participant_duration")
        settings.statusCallback = try row.value("status_callback")
        settings.statusCallbackMethod = method
        settings.emptyRoomTimeout = try row.value("empty_room_timeout")
        settings.unusedRoomTimeout = try row.value("unused_room_timeout")
        settings.audioOnly = try row.value("audio_only")
        settings.recordParticipantsOnConnect = try row.value("record_participants_on_connect")
        settings.videoCodecs = try row.value("video_codecs")
        settings.mediaRegion = try row.value("media_region")
        settings.largeRoom = try row.value("large_room")
        let room = Room(
            sid: sid, accountSid: try row.sid("account_sid", table: "rooms"), uniqueName: try row.value("unique_name"),
            status: status, settings: settings, nodeSid: try row.optionalSID("node_sid"), endTime: try row.value("end_time"),
            dateCreated: try row.value("date_created"), dateUpdated: try row.value("date_updated"))
        return (try row.value("seq"), room)
    }

    static let participantColumns = "sid, account_sid, room_sid, identity, status, start_time, end_time, date_created, date_updated, seq"

    static func participant(_ row: PostgresRow) throws -> (sequence: Int64, item: Participant) {
        let (sid, account, room, identity, status, start, end, created, updated, sequence) =
            try row.decode((String, String, String, String, String, Date, Date?, Date, Date, Int64).self)
        guard let participantSid = SID(sid), let accountSid = SID(account), let roomSid = SID(room),
            let participantStatus = ParticipantStatus(rawValue: status)
        else { throw CorruptRowError(table: "room_participants", key: sid) }
        return (sequence, Participant(
            sid: participantSid, accountSid: accountSid, roomSid: roomSid, identity: identity, status: participantStatus,
            startTime: start, endTime: end, dateCreated: created, dateUpdated: updated))
    }

    static let trackColumns = "t.sid, t.account_sid, t.room_sid, t.participant_sid, t.name, t.kind, t.enabled, t.date_created, t.date_updated, t.seq"

    /// Decodes the first ten columns (``trackColumns``); a query may select more after them.
    static func track(_ row: PostgresRow) throws -> (sequence: Int64, item: PublishedTrack) {
        let row = row.makeRandomAccess()
        func column<Value: PostgresDecodable>(_ index: Int, _ type: Value.Type = Value.self) throws -> Value {
            try row[index].decode(Value.self, context: .default)
        }
        let sid: String = try column(0)
        guard let trackSid = SID(sid), let accountSid = SID(try column(1, String.self)), let roomSid = SID(try column(2, String.self)),
            let participantSid = SID(try column(3, String.self)), let kind = TrackKind(rawValue: try column(5))
        else { throw CorruptRowError(table: "published_tracks", key: sid) }
        return (try column(9), PublishedTrack(
            sid: trackSid, accountSid: accountSid, roomSid: roomSid, participantSid: participantSid, name: try column(4), kind: kind,
            enabled: try column(6), dateCreated: try column(7), dateUpdated: try column(8)))
    }
}
