import Foundation
import Logging
import Platform
import PostgresNIO

/// A room's status callback events, Twilio's names.
public enum RoomCallbackEvent: String, Sendable, CaseIterable {
    case roomCreated = "room-created"
    case roomEnded = "room-ended"
    case participantConnected = "participant-connected"
    case participantDisconnected = "participant-disconnected"
    case trackAdded = "track-added"
    case trackRemoved = "track-removed"
    case trackEnabled = "track-enabled"
    case trackDisabled = "track-disabled"

    /// The native event type subscribers see (`room.created`, `participant.connected`, `track.added`…).
    public var eventType: String {
        let parts = rawValue.split(separator: "-", maxSplits: 1)
        return "\(parts[0]).\(parts[1])"
    }
}

/// Reports a room's changes, in the transaction that makes them: a Twilio status callback to the room's
/// `StatusCallback` (signed, ordered per room, numbered by `SequenceNumber` without gaps) and a native
/// event for the account's subscribers. Both go through the events engine.
enum RoomCallbacks {
    struct ParticipantFacts {
        var sid: SID
        var identity: String
        var status: String
        /// Seconds connected, on `participant-disconnected`.
        var duration: Int?
    }

    struct TrackFacts {
        var sid: SID
        var kind: String
        var name: String
    }

    /// Numbers the callback (locking the room row, which orders a room's callbacks), then queues it.
    static func emit(
        _ event: RoomCallbackEvent, room roomSid: SID, participant: ParticipantFacts? = nil, track: TrackFacts? = nil,
        outbox: EventOutbox, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let rows = try await connection.query(
            """
            UPDATE rooms SET callback_sequence = callback_sequence + 1
            WHERE sid = \(roomSid.rawValue)
            RETURNING account_sid, unique_name, status, type, status_callback, status_callback_method,
                      callback_sequence - 1, extract(epoch FROM coalesce(end_time, now()) - date_created)::float8
            """, logger: logger
        ).collect()
        guard let row = rows.first else { return }
        let (account, name, status, type, callback, method, sequence, age) =
            try row.decode((String, String, String, String, String?, String, Int, Double).self)
        guard let accountSid = SID(account) else { throw CorruptRowError(table: "rooms", key: roomSid.rawValue) }

        var data: [(name: String, value: EventValue)] = [
            ("room_name", .string(name)), ("room_sid", .string(roomSid.rawValue)), ("room_status", .string(status)),
            ("room_type", .string(type)), ("status_callback_event", .string(event.rawValue)),
            ("sequence_number", .integer(sequence)),
        ]
        if let participant {
            data += [
                ("participant_sid", .string(participant.sid.rawValue)), ("participant_status", .string(participant.status)),
                ("participant_identity", .string(participant.identity)),
            ]
            if let duration = participant.duration { data.append(("participant_duration", .integer(duration))) }
        }
        if event == .roomEnded { data.append(("room_duration", .integer(Int(age.rounded())))) }
        if let track {
            data += [("track_sid", .string(track.sid.rawValue)), ("track_kind", .string(track.kind)), ("track_name", .string(track.name))]
        }
        let native = Event(type: event.eventType, accountSid: accountSid, data: data)
        try await outbox.record(native, on: connection, logger: logger)
        guard let callback, !callback.isEmpty else { return }
        var parameters = [("AccountSid", account), ("Timestamp", EventValue.timestamp(native.occurredAt))]
        parameters += data.map { (Event.pascalCase($0.name), $0.value.formValue) }
        try await TwilioCallback.enqueue(
            account: accountSid, type: "room.status_callback", url: callback, method: DeliveryMethod(rawValue: method) ?? .post,
            parameters: parameters, orderingKey: roomSid.rawValue, on: connection, logger: logger)
    }
}
