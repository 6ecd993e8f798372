import Foundation
import Logging
import Platform
import PostgresNIO

/// Media streams: created and read by the REST side (every call scoped by the owning account), run and
/// reported on by the node hosting the stream's room (by SID: the node acts on what the control plane said).
///
/// A stream is stopped exactly once: whoever flips it from in-progress to stopped (the REST API, the node, a
/// departing participant, an ending room) writes its one `stream-stopped` or `stream-error` in that transaction.
public struct MediaStreamRepository: Sendable {
    let database: Database
    let outbox: EventOutbox

    public init(database: Database, outbox: EventOutbox) {
        self.database = database
        self.outbox = outbox
    }

    /// Most in-progress streams one participant may have.
    public static let maximumPerParticipant = 4

    /// What a stream is created with, defaults applied.
    public struct NewStream: Sendable {
        /// A `PA…` SID or the identity of a connected participant of the room.
        public var participant: String
        public var url: String
        /// `X-Twilio-Signature` of the upgrade request to `url`.
        public var upgradeSignature: String
        public var name: String?
        public var track: MediaStreamTrack = .inbound
        public var audioFormat: MediaStreamAudioFormat = .twilio
        public var parameters: [MediaStreamParameter] = []
        public var statusCallback: String?
        public var statusCallbackMethod: DeliveryMethod = .post
        public var bidirectional = false
        /// The bot participant's identity (bidirectional streams only); the stream SID when `nil`.
        public var botIdentity: String?
        public var reconnectAttempts = 2

        public init(participant: String, url: String, upgradeSignature: String) {
            self.participant = participant
            self.url = url
            self.upgradeSignature = upgradeSignature
        }
    }

    /// How a stream ended.
    public enum StopReason: Sendable, Equatable {
        /// On purpose (the REST API, the consumer closed, the participant left, the room ended): `stream-stopped`.
        case stopped
        /// By a failure, described in `error` and `StreamError`: `stream-error`.
        case error(String)
    }

    // MARK: REST

    /// Creates an in-progress stream in one transaction under the room's row lock, and returns it with the
    /// node hosting the room. Refused when the room has ended (400/53118), `participant` is not connected to
    /// it, has ``maximumPerParticipant`` in-progress streams already, the name or the bot's identity is taken
    /// (400/20001), or the room has no node (503/53000).
    public func create(_ new: NewStream, room: SID, account: SID, logger: Logger) async throws -> (stream: MediaStream, node: SID) {
        try await database.withTransaction(logger: logger) { connection in
            let rooms = try await connection.query(
                "SELECT status, node_sid FROM rooms WHERE sid = \(room.rawValue) AND account_sid = \(account.rawValue) FOR UPDATE",
                logger: logger
            ).collect()
            guard let row = rooms.first else { throw VideoError.roomNotFound(room.rawValue) }
            let (status, placedOn) = try row.decode((String, String?).self)
            guard status == RoomStatus.inProgress.rawValue else { throw VideoError.roomCompleted }

            let sidParameter = SID(new.participant, prefix: .participant)?.rawValue
            let members = try await connection.query(
                """
                SELECT sid, status FROM room_participants
                WHERE room_sid = \(room.rawValue) AND account_sid = \(account.rawValue)
                  AND (sid = \(sidParameter) OR (\(sidParameter)::text IS NULL AND identity = \(new.participant)))
                ORDER BY status = 'disconnected', seq DESC
                LIMIT 1
                FOR UPDATE
                """, logger: logger
            ).collect()
            guard let member = try members.first?.decode((String, String).self), member.1 == ParticipantStatus.connected.rawValue,
                let participant = SID(member.0)
            else { throw StreamError.participantNotConnected(new.participant) }
            guard let node = placedOn.flatMap({ SID($0) }) else { throw VideoError.noMediaNode }

            let counted = try await connection.query(
                "SELECT count(*)::int FROM media_streams WHERE participant_sid = \(participant.rawValue) AND status = 'in-progress'",
                logger: logger
            ).collect()
            guard try counted[0].decode(Int.self) < Self.maximumPerParticipant else { throw StreamError.tooManyStreams }

            let sid = SID.generate(.mediaStream)
            let botIdentity = new.bidirectional ? new.botIdentity ?? sid.rawValue : nil
            if let botIdentity {
                let taken = try await connection.query(
                    """
                    SELECT 1 FROM room_participants
                    WHERE room_sid = \(room.rawValue) AND identity = \(botIdentity) AND status <> 'disconnected'
                    UNION ALL
                    SELECT 1 FROM media_streams
                    WHERE room_sid = \(room.rawValue) AND bot_identity = \(botIdentity) AND status = 'in-progress'
                    """, logger: logger
                ).collect()
                guard taken.isEmpty else { throw StreamError.botIdentityInUse(botIdentity) }
            }
            let rows = try await connection.query(
                """
                INSERT INTO media_streams (sid, account_sid, room_sid, participant_sid, name, url, track, audio_format, sample_rate,
                    bidirectional, bot_identity, parameters, status_callback, status_callback_method, upgrade_signature,
                    reconnect_attempts, status)
                VALUES (\(sid.rawValue), \(account.rawValue), \(room.rawValue), \(participant.rawValue), \(new.name), \(new.url),
                    \(new.track.rawValue), \(new.audioFormat.encoding.rawValue), \(new.audioFormat.sampleRate), \(new.bidirectional),
                    \(botIdentity), \(StreamRows.encode(new.parameters))::jsonb, \(new.statusCallback),
                    \(new.statusCallbackMethod.rawValue), \(new.upgradeSignature), \(new.reconnectAttempts), 'in-progress')
                ON CONFLICT (room_sid, name) WHERE status = 'in-progress' DO NOTHING
                RETURNING \(unescaped: StreamRows.columns)
                """, logger: logger
            ).collect()
            guard let created = rows.first else { throw StreamError.nameInUse(new.name ?? "") }
            return (try StreamRows.stream(created).item, node)
        }
    }

    /// A stream of `room` by `MZ…` SID, or by name: the in-progress stream with it, else the latest.
    public func find(_ sidOrName: String, room: SID, account: SID, logger: Logger) async throws -> MediaStream? {
        let sid = SID(sidOrName, prefix: .mediaStream)?.rawValue
        let rows = try await database.query(
            """
            SELECT \(unescaped: StreamRows.columns) FROM media_streams
            WHERE room_sid = \(room.rawValue) AND account_sid = \(account.rawValue)
              AND (sid = \(sid) OR (\(sid)::text IS NULL AND name = \(sidOrName)))
            ORDER BY status = 'stopped', seq DESC
            LIMIT 1
            """, logger: logger)
        return try rows.first.map { try StreamRows.stream($0).item }
    }

    /// `room`'s streams (those with `status`, when given), oldest first.
    public func list(
        room: SID, account: SID, status: MediaStreamStatus?, cursor: PageCursor, pageSize: Int, logger: Logger
    ) async throws -> Page<MediaStream> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: StreamRows.columns) FROM media_streams
            WHERE room_sid = \(room.rawValue) AND account_sid = \(account.rawValue)
              AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
              AND seq > \(bounds.after) AND seq < \(bounds.before)
            ORDER BY seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(StreamRows.stream), pageSize: pageSize, cursor: cursor)
    }

    // MARK: Node

    /// A stream by SID.
    public func load(_ sid: SID, logger: Logger) async throws -> MediaStream? {
        let rows = try await database.query(
            "SELECT \(unescaped: StreamRows.columns) FROM media_streams WHERE sid = \(sid.rawValue)", logger: logger)
        return try rows.first.map { try StreamRows.stream($0).item }
    }

    /// The SIDs of the in-progress streams of the in-progress rooms placed on `node`, oldest first: what it
    /// should be running (read every second, so only the SIDs).
    public func inProgressSIDs(onNode node: SID, logger: Logger) async throws -> [SID] {
        let rows = try await database.query(
            """
            SELECT sid FROM media_streams
            WHERE status = 'in-progress'
              AND room_sid IN (SELECT sid FROM rooms WHERE node_sid = \(node.rawValue) AND status = 'in-progress')
            ORDER BY seq
            """, logger: logger)
        return try rows.map { row in
            let text = try row.decode(String.self)
            guard let sid = SID(text, prefix: .mediaStream) else { throw CorruptRowError(table: "media_streams", key: text) }
            return sid
        }
    }

    /// Stops an in-progress stream (`stream-stopped`, or `stream-error` with the reason's text as `error`).
    /// Returns the stopped stream; `nil` when it was not in progress (nothing is reported then).
    @discardableResult
    public func stop(_ sid: SID, reason: StopReason, logger: Logger) async throws -> MediaStream? {
        let stopped = try await database.withTransaction(logger: logger) { connection in
            try await Self.stop(sid, reason: reason, outbox: outbox, on: connection, logger: logger)
        }
        if stopped != nil { outbox.committed() }
        return stopped
    }

    /// Reports `stream-started` (the consumer accepted the connection). `false` when the stream is not in progress.
    @discardableResult
    public func recordStarted(_ sid: SID, logger: Logger) async throws -> Bool {
        try await report(.started, sid: sid, logger: logger)
    }

    /// Reports `stream-warning`: `droppedFrames` frames were dropped because the consumer did not keep up.
    /// `false` when the stream is not in progress.
    @discardableResult
    public func recordWarning(_ sid: SID, droppedFrames: Int, logger: Logger) async throws -> Bool {
        try await report(.warning, sid: sid, droppedFrames: droppedFrames, logger: logger)
    }

    /// Records the participant publishing a bidirectional stream's consumer audio. `false` when the stream is
    /// not in progress.
    @discardableResult
    public func setBotParticipant(_ sid: SID, participant: SID, logger: Logger) async throws -> Bool {
        let rows = try await database.query(
            """
            UPDATE media_streams SET bot_participant_sid = \(participant.rawValue), date_updated = now()
            WHERE sid = \(sid.rawValue) AND status = 'in-progress' RETURNING 1
            """, logger: logger)
        return !rows.isEmpty
    }

    /// Queues `event` for an in-progress stream; the row is share-locked, so a concurrent stop is reported after it.
    private func report(_ event: StreamCallbackEvent, sid: SID, droppedFrames: Int? = nil, logger: Logger) async throws -> Bool {
        let reported = try await database.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: StreamRows.columns) FROM media_streams
                WHERE sid = \(sid.rawValue) AND status = 'in-progress' FOR SHARE
                """, logger: logger
            ).collect()
            guard let row = rows.first else { return false }
            try await StreamCallbacks.emit(
                event, stream: try StreamRows.stream(row).item, droppedFrames: droppedFrames, outbox: outbox, on: connection, logger: logger)
            return true
        }
        if reported { outbox.committed() }
        return reported
    }

    // MARK: In a caller's transaction

    /// ``stop(_:reason:logger:)`` inside a caller's transaction.
    static func stop(
        _ sid: SID, reason: StopReason, outbox: EventOutbox, on connection: PostgresConnection, logger: Logger
    ) async throws -> MediaStream? {
        var error: String?
        if case .error(let text) = reason { error = text }
        let rows = try await connection.query(
            """
            UPDATE media_streams SET status = 'stopped', error = \(error), date_updated = now()
            WHERE sid = \(sid.rawValue) AND status = 'in-progress'
            RETURNING \(unescaped: StreamRows.columns)
            """, logger: logger
        ).collect()
        guard let row = rows.first else { return nil }
        let stream = try StreamRows.stream(row).item
        try await StreamCallbacks.emit(error == nil ? .stopped : .error, stream: stream, outbox: outbox, on: connection, logger: logger)
        return stream
    }

    /// Stops the in-progress streams of a departing participant (`stream-stopped` each, oldest first).
    static func stopAll(participant: SID, outbox: EventOutbox, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            """
            UPDATE media_streams SET status = 'stopped', date_updated = now()
            WHERE participant_sid = \(participant.rawValue) AND status = 'in-progress'
            RETURNING \(unescaped: StreamRows.columns)
            """, logger: logger
        ).collect()
        try await reportStopped(rows, outbox: outbox, on: connection, logger: logger)
    }

    /// Stops the in-progress streams of an ending room (`stream-stopped` each, oldest first).
    static func stopAll(room: SID, outbox: EventOutbox, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            """
            UPDATE media_streams SET status = 'stopped', date_updated = now()
            WHERE room_sid = \(room.rawValue) AND status = 'in-progress'
            RETURNING \(unescaped: StreamRows.columns)
            """, logger: logger
        ).collect()
        try await reportStopped(rows, outbox: outbox, on: connection, logger: logger)
    }

    private static func reportStopped(
        _ rows: [PostgresRow], outbox: EventOutbox, on connection: PostgresConnection, logger: Logger
    ) async throws {
        for (_, stream) in try rows.map(StreamRows.stream).sorted(by: { $0.sequence < $1.sequence }) {
            try await StreamCallbacks.emit(.stopped, stream: stream, outbox: outbox, on: connection, logger: logger)
        }
    }
}
