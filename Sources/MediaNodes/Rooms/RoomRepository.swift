import Foundation
import Logging
import Platform
import PostgresNIO

/// Creates and reads rooms; every call is scoped by the owning account.
public struct RoomRepository: Sendable {
    let database: Database
    let outbox: EventOutbox

    public init(database: Database, outbox: EventOutbox) {
        self.database = database
        self.outbox = outbox
    }

    /// Creates an in-progress room and reports `room-created`. The unique name defaults to the SID; an
    /// in-progress room of the same name is a conflict (Twilio's 53113).
    public func create(account: SID, uniqueName: String?, settings: RoomSettings, logger: Logger) async throws -> Room {
        let room = try await database.withTransaction(logger: logger) { connection in
            try await Self.insert(account: account, uniqueName: uniqueName, settings: settings, outbox: outbox, on: connection, logger: logger)
        }
        outbox.committed()
        return room
    }

    /// ``create(account:uniqueName:settings:logger:)`` inside a caller's transaction.
    static func insert(
        account: SID, uniqueName: String?, settings: RoomSettings, outbox: EventOutbox, on connection: PostgresConnection, logger: Logger
    ) async throws -> Room {
        let sid = SID.generate(.room)
        let rows = try await connection.query(
            """
            INSERT INTO rooms (sid, account_sid, unique_name, status, type, max_participants, max_participant_duration,
                status_callback, status_callback_method, empty_room_timeout, unused_room_timeout, audio_only,
                record_participants_on_connect, video_codecs, media_region, large_room, idle_deadline)
            VALUES (\(sid.rawValue), \(account.rawValue), \(uniqueName ?? sid.rawValue), 'in-progress', \(settings.type.rawValue),
                \(settings.maxParticipants), \(settings.maxParticipantDuration), \(settings.statusCallback),
                \(settings.statusCallbackMethod.rawValue), \(settings.emptyRoomTimeout), \(settings.unusedRoomTimeout),
                \(settings.audioOnly), \(settings.recordParticipantsOnConnect), \(settings.videoCodecs), \(settings.mediaRegion),
                \(settings.largeRoom), now() + make_interval(mins => \(settings.unusedRoomTimeout)::int))
            ON CONFLICT (account_sid, unique_name) WHERE status = 'in-progress' DO NOTHING
            RETURNING \(unescaped: VideoRows.roomColumns)
            """, logger: logger
        ).collect()
        guard let row = rows.first else { throw VideoError.roomExists(uniqueName ?? sid.rawValue) }
        let room = try VideoRows.room(row).item
        try await RoomCallbacks.emit(.roomCreated, room: room.sid, outbox: outbox, on: connection, logger: logger)
        return room
    }

    /// A room by `RM…` SID (any status), or the in-progress room with that unique name.
    public func find(_ sidOrName: String, account: SID, logger: Logger) async throws -> Room? {
        let rows: [PostgresRow]
        if let sid = SID(sidOrName, prefix: .room) {
            rows = try await database.query(
                "SELECT \(unescaped: VideoRows.roomColumns) FROM rooms WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)",
                logger: logger)
        } else {
            rows = try await database.query(
                """
                SELECT \(unescaped: VideoRows.roomColumns) FROM rooms
                WHERE account_sid = \(account.rawValue) AND unique_name = \(sidOrName) AND status = 'in-progress'
                """, logger: logger)
        }
        return try rows.first.map { try VideoRows.room($0).item }
    }

    /// Filters of ``list(account:filter:cursor:pageSize:logger:)``.
    public struct ListFilter: Sendable {
        public var status: RoomStatus?
        public var uniqueName: String?
        public var createdAfter: Date?
        public var createdBefore: Date?
        public init(status: RoomStatus? = nil, uniqueName: String? = nil, createdAfter: Date? = nil, createdBefore: Date? = nil) {
            self.status = status
            self.uniqueName = uniqueName
            self.createdAfter = createdAfter
            self.createdBefore = createdBefore
        }
    }

    public func list(account: SID, filter: ListFilter, cursor: PageCursor, pageSize: Int, logger: Logger) async throws -> Page<Room> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: VideoRows.roomColumns) FROM rooms
            WHERE account_sid = \(account.rawValue)
              AND (\(filter.status?.rawValue)::text IS NULL OR status = \(filter.status?.rawValue))
              AND (\(filter.uniqueName)::text IS NULL OR unique_name = \(filter.uniqueName))
              AND (\(filter.createdAfter)::timestamptz IS NULL OR date_created >= \(filter.createdAfter))
              AND (\(filter.createdBefore)::timestamptz IS NULL OR date_created <= \(filter.createdBefore))
              AND seq > \(bounds.after) AND seq < \(bounds.before)
            ORDER BY seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(VideoRows.room), pageSize: pageSize, cursor: cursor)
    }
}
