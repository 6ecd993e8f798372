import Foundation
import Logging
import Platform
import PostgresNIO

/// Every change to a room's membership and tracks, each in its caller's transaction and each reported
/// through ``RoomCallbacks``. The gateway (REST, sweeper) and the media nodes (signaling) share them, so a
/// participant leaves the same way whether it hung up, was kicked, timed out or its room ended.
///
/// A room row is locked (`FOR UPDATE`) before its participants change: that orders a room's changes, and
/// with them its callbacks.
public struct RoomChanges: Sendable {
    let outbox: EventOutbox

    public init(outbox: EventOutbox) {
        self.outbox = outbox
    }

    /// Why a participant left.
    public enum DepartureReason: String, Sendable {
        case left, kicked, roomEnded = "room-ended", duplicateIdentity = "duplicate-identity", timedOut = "timed-out"
    }

    /// A participant that left, and the node hosting its room (to close its connection there).
    public struct Departure: Sendable {
        public var participant: SID
        public var identity: String
        public var room: SID
        public var node: SID?
    }

    // MARK: Rooms

    /// Ends an in-progress room: its media streams stop, everyone present leaves, then `room-ended`. `nil` when it
    /// was not in progress (or, with `onlyIfIdle`, when its idle deadline has not passed: someone joined since it
    /// was found idle).
    public func endRoom(
        _ room: SID, status: RoomStatus = .completed, onlyIfIdle: Bool = false, on connection: PostgresConnection, logger: Logger
    ) async throws -> (node: SID?, departures: [Departure])? {
        let locked = try await connection.query(
            """
            SELECT node_sid FROM rooms
            WHERE sid = \(room.rawValue) AND status = 'in-progress' AND (NOT \(onlyIfIdle) OR idle_deadline < now())
            FOR UPDATE
            """, logger: logger
        ).collect()
        guard let row = locked.first else { return nil }
        let node = try row.decode(String?.self).flatMap { SID($0) }
        try await MediaStreamRepository.stopAll(room: room, outbox: outbox, on: connection, logger: logger)
        let present = try await connection.query(
            "SELECT sid FROM room_participants WHERE room_sid = \(room.rawValue) AND status <> 'disconnected' ORDER BY seq",
            logger: logger
        ).collect()
        var departures: [Departure] = []
        for row in present {
            guard let sid = SID(try row.decode(String.self)) else { continue }
            if let departure = try await disconnect(sid, reason: .roomEnded, on: connection, logger: logger) {
                departures.append(departure)
            }
        }
        try await connection.query(
            """
            UPDATE rooms SET status = \(status.rawValue), end_time = now(), date_updated = now(), idle_deadline = NULL
            WHERE sid = \(room.rawValue)
            """, logger: logger)
        try await RoomCallbacks.emit(.roomEnded, room: room, outbox: outbox, on: connection, logger: logger)
        return (node, departures)
    }

    // MARK: Participants

    /// Connects `identity` to `room` on `node`: resumes `resume` when it is that identity's present
    /// participant, else disconnects any present participant with the identity (Twilio's duplicate-identity
    /// rule) and adds a new one. Throws when the room has ended, is full, or is not on `node`.
    public func connect(
        identity: String, room: SID, account: SID, node: SID, resume: SID?, on connection: PostgresConnection, logger: Logger
    ) async throws -> (participant: Participant, resumed: Bool, replaced: Departure?) {
        let rooms = try await connection.query(
            """
            SELECT status, node_sid, max_participants, present_count FROM rooms
            WHERE sid = \(room.rawValue) AND account_sid = \(account.rawValue) FOR UPDATE
            """, logger: logger
        ).collect()
        guard let row = rooms.first else { throw VideoError.roomNotFound(room.rawValue) }
        let (status, placedOn, maxParticipants, presentCount) = try row.decode((String, String?, Int, Int).self)
        guard status == RoomStatus.inProgress.rawValue else { throw VideoError.roomCompleted }
        guard placedOn == node.rawValue else { throw SignalingRefusal.roomMoved }

        let existing = try await connection.query(
            """
            SELECT sid FROM room_participants
            WHERE room_sid = \(room.rawValue) AND identity = \(identity) AND status <> 'disconnected' FOR UPDATE
            """, logger: logger
        ).collect()
        let present = try existing.first.flatMap { SID(try $0.decode(String.self)) }
        if let present, present == resume {
            let rows = try await connection.query(
                """
                UPDATE room_participants SET status = 'connected', date_updated = now() WHERE sid = \(present.rawValue)
                RETURNING \(unescaped: VideoRows.participantColumns)
                """, logger: logger
            ).collect()
            return (try VideoRows.participant(rows[0]).item, true, nil)
        }
        var replaced: Departure?
        if let present { replaced = try await disconnect(present, reason: .duplicateIdentity, on: connection, logger: logger) }
        guard presentCount - (replaced == nil ? 0 : 1) < maxParticipants else { throw VideoError.roomFull }
        let sid = SID.generate(.participant)
        let rows = try await connection.query(
            """
            INSERT INTO room_participants (sid, account_sid, room_sid, identity, status)
            VALUES (\(sid.rawValue), \(account.rawValue), \(room.rawValue), \(identity), 'connected')
            RETURNING \(unescaped: VideoRows.participantColumns)
            """, logger: logger
        ).collect()
        let participant = try VideoRows.participant(rows[0]).item
        try await connection.query(
            """
            UPDATE rooms SET present_count = present_count + 1, idle_deadline = NULL, date_updated = now()
            WHERE sid = \(room.rawValue)
            """, logger: logger)
        try await RoomCallbacks.emit(
            .participantConnected, room: room,
            participant: .init(sid: sid, identity: identity, status: "connected"), outbox: outbox, on: connection, logger: logger)
        return (participant, false, replaced)
    }

    /// Marks a connected participant `reconnecting` (its connection dropped; it may resume). Returns whether it was connected.
    @discardableResult
    public func markReconnecting(_ participant: SID, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE room_participants SET status = 'reconnecting', date_updated = now()
            WHERE sid = \(participant.rawValue) AND status = 'connected' RETURNING 1
            """, logger: logger
        ).collect()
        return !rows.isEmpty
    }

    /// Disconnects a present participant: its media streams stop, its tracks are removed, its subscriptions
    /// dropped, the room emptied of it (starting the empty-room timeout when it was the last), then
    /// `participant-disconnected`.
    /// `nil` when it was already gone. Lock the room first when the caller has not.
    public func disconnect(
        _ participant: SID, reason: DepartureReason, on connection: PostgresConnection, logger: Logger
    ) async throws -> Departure? {
        let rows = try await connection.query(
            """
            UPDATE room_participants SET status = 'disconnected', end_time = now(), date_updated = now()
            WHERE sid = \(participant.rawValue) AND status <> 'disconnected'
            RETURNING identity, room_sid, extract(epoch FROM now() - start_time)::float8
            """, logger: logger
        ).collect()
        guard let row = rows.first else { return nil }
        let (identity, roomText, seconds) = try row.decode((String, String, Double).self)
        guard let room = SID(roomText) else { throw CorruptRowError(table: "room_participants", key: participant.rawValue) }
        try await MediaStreamRepository.stopAll(participant: participant, outbox: outbox, on: connection, logger: logger)
        try await connection.query(
            "DELETE FROM subscribed_tracks WHERE subscriber_sid = \(participant.rawValue)", logger: logger)
        let tracks = try await connection.query(
            """
            SELECT sid FROM published_tracks WHERE participant_sid = \(participant.rawValue) AND unpublished_at IS NULL ORDER BY seq
            """, logger: logger
        ).collect()
        for track in tracks {
            if let sid = SID(try track.decode(String.self)) { _ = try await unpublish(sid, on: connection, logger: logger) }
        }
        let updated = try await connection.query(
            """
            UPDATE rooms SET present_count = present_count - 1, date_updated = now(),
                idle_deadline = CASE WHEN present_count = 1 THEN now() + make_interval(mins => empty_room_timeout) END
            WHERE sid = \(room.rawValue) RETURNING node_sid
            """, logger: logger
        ).collect()
        let node = try updated.first?.decode(String?.self).flatMap { SID($0) }
        try await RoomCallbacks.emit(
            .participantDisconnected, room: room,
            participant: .init(sid: participant, identity: identity, status: "disconnected", duration: Int(seconds.rounded())),
            outbox: outbox, on: connection, logger: logger)
        logger.debug("participant left", metadata: ["participant": "\(participant)", "reason": "\(reason.rawValue)"])
        return Departure(participant: participant, identity: identity, room: room, node: node)
    }

    // MARK: Tracks

    /// Adds tracks a connected participant publishes (`track-added` each).
    public func publish(
        _ tracks: [(name: String, kind: TrackKind)], by participant: Participant, on connection: PostgresConnection, logger: Logger
    ) async throws -> [PublishedTrack] {
        var published: [PublishedTrack] = []
        for track in tracks {
            let sid = SID.generate(.track)
            let rows = try await connection.query(
                """
                INSERT INTO published_tracks AS t (sid, account_sid, room_sid, participant_sid, name, kind)
                VALUES (\(sid.rawValue), \(participant.accountSid.rawValue), \(participant.roomSid.rawValue),
                        \(participant.sid.rawValue), \(track.name), \(track.kind.rawValue))
                RETURNING \(unescaped: VideoRows.trackColumns)
                """, logger: logger
            ).collect()
            published.append(try VideoRows.track(rows[0]).item)
            try await RoomCallbacks.emit(
                .trackAdded, room: participant.roomSid,
                participant: .init(sid: participant.sid, identity: participant.identity, status: participant.status.rawValue),
                track: .init(sid: sid, kind: track.kind.rawValue, name: track.name), outbox: outbox, on: connection, logger: logger)
        }
        return published
    }

    /// Removes a published track (of `publisher`, when given) and everyone's subscription to it (`track-removed`).
    /// `false` when there is no such published track.
    public func unpublish(_ track: SID, publishedBy publisher: SID? = nil, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE published_tracks t SET unpublished_at = now(), date_updated = now()
            FROM room_participants p
            WHERE t.sid = \(track.rawValue) AND t.unpublished_at IS NULL AND p.sid = t.participant_sid
              AND (\(publisher?.rawValue)::text IS NULL OR t.participant_sid = \(publisher?.rawValue))
            RETURNING t.room_sid, t.kind, t.name, p.sid, p.identity, p.status
            """, logger: logger
        ).collect()
        guard let row = rows.first else { return false }
        let (room, kind, name, participant, identity, status) = try row.decode((String, String, String, String, String, String).self)
        guard let roomSid = SID(room), let participantSid = SID(participant) else {
            throw CorruptRowError(table: "published_tracks", key: track.rawValue)
        }
        try await connection.query("DELETE FROM subscribed_tracks WHERE track_sid = \(track.rawValue)", logger: logger)
        try await RoomCallbacks.emit(
            .trackRemoved, room: roomSid, participant: .init(sid: participantSid, identity: identity, status: status),
            track: .init(sid: track, kind: kind, name: name), outbox: outbox, on: connection, logger: logger)
        return true
    }

    /// Mutes or unmutes one of `participant`'s tracks (`track-disabled` / `track-enabled` when it changed).
    public func setEnabled(
        _ enabled: Bool, track: SID, of participant: Participant, on connection: PostgresConnection, logger: Logger
    ) async throws -> PublishedTrack? {
        let current = try await connection.query(
            """
            SELECT enabled FROM published_tracks
            WHERE sid = \(track.rawValue) AND participant_sid = \(participant.sid.rawValue) AND unpublished_at IS NULL
            FOR UPDATE
            """, logger: logger
        ).collect()
        guard let before = try current.first?.decode(Bool.self) else { return nil }
        let rows = try await connection.query(
            """
            UPDATE published_tracks t SET enabled = \(enabled), date_updated = now() WHERE sid = \(track.rawValue)
            RETURNING \(unescaped: VideoRows.trackColumns)
            """, logger: logger
        ).collect()
        let updated = try VideoRows.track(rows[0]).item
        if before != enabled {
            try await RoomCallbacks.emit(
                enabled ? .trackEnabled : .trackDisabled, room: participant.roomSid,
                participant: .init(sid: participant.sid, identity: participant.identity, status: participant.status.rawValue),
                track: .init(sid: track, kind: updated.kind.rawValue, name: updated.name), outbox: outbox, on: connection, logger: logger)
        }
        return updated
    }

    /// Starts or stops `subscriber` receiving a published track of its room. `nil` when there is no such track.
    public func setSubscribed(
        _ subscribed: Bool, track: SID, subscriber: Participant, on connection: PostgresConnection, logger: Logger
    ) async throws -> PublishedTrack? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: VideoRows.trackColumns) FROM published_tracks t
            WHERE t.sid = \(track.rawValue) AND t.room_sid = \(subscriber.roomSid.rawValue) AND t.unpublished_at IS NULL
            """, logger: logger
        ).collect()
        guard let row = rows.first else { return nil }
        if subscribed {
            try await connection.query(
                """
                INSERT INTO subscribed_tracks (subscriber_sid, track_sid, account_sid, room_sid)
                VALUES (\(subscriber.sid.rawValue), \(track.rawValue), \(subscriber.accountSid.rawValue), \(subscriber.roomSid.rawValue))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        } else {
            try await connection.query(
                "DELETE FROM subscribed_tracks WHERE subscriber_sid = \(subscriber.sid.rawValue) AND track_sid = \(track.rawValue)",
                logger: logger)
        }
        return try VideoRows.track(row).item
    }
}

/// Why a node turned a join away although the ticket was good: the client must ask the gateway again.
public enum SignalingRefusal: Error, Sendable {
    /// The room is hosted by another node now.
    case roomMoved
}
