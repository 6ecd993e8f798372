import Foundation
import Logging
import Platform
import PostgresNIO

/// Reads participants and their tracks; every call is scoped by the owning account.
public struct ParticipantRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct ListFilter: Sendable {
        public var status: ParticipantStatus?
        public var identity: String?
        public var createdAfter: Date?
        public var createdBefore: Date?
        public init(status: ParticipantStatus? = nil, identity: String? = nil, createdAfter: Date? = nil, createdBefore: Date? = nil) {
            self.status = status
            self.identity = identity
            self.createdAfter = createdAfter
            self.createdBefore = createdBefore
        }
    }

    public func list(
        room: SID, account: SID, filter: ListFilter, cursor: PageCursor, pageSize: Int, logger: Logger
    ) async throws -> Page<Participant> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: VideoRows.participantColumns) FROM room_participants
            WHERE room_sid = \(room.rawValue) AND account_sid = \(account.rawValue)
              AND (\(filter.status?.rawValue)::text IS NULL OR status = \(filter.status?.rawValue))
              AND (\(filter.identity)::text IS NULL OR identity = \(filter.identity))
              AND (\(filter.createdAfter)::timestamptz IS NULL OR date_created >= \(filter.createdAfter))
              AND (\(filter.createdBefore)::timestamptz IS NULL OR date_created <= \(filter.createdBefore))
              AND seq > \(bounds.after) AND seq < \(bounds.before)
            ORDER BY seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(VideoRows.participant), pageSize: pageSize, cursor: cursor)
    }

    /// A participant by `PA…` SID, or by identity: the present one with it, else the latest.
    public func find(_ sidOrIdentity: String, room: SID, account: SID, logger: Logger) async throws -> Participant? {
        let sid = SID(sidOrIdentity, prefix: .participant)?.rawValue
        let rows = try await database.query(
            """
            SELECT \(unescaped: VideoRows.participantColumns) FROM room_participants
            WHERE room_sid = \(room.rawValue) AND account_sid = \(account.rawValue)
              AND (sid = \(sid) OR (\(sid)::text IS NULL AND identity = \(sidOrIdentity)))
            ORDER BY status = 'disconnected', seq DESC
            LIMIT 1
            """, logger: logger)
        return try rows.first.map { try VideoRows.participant($0).item }
    }

    /// The tracks `participant` publishes now, or the one with `sid`.
    public func publishedTracks(
        participant: SID, account: SID, sid: SID? = nil, cursor: PageCursor, pageSize: Int, logger: Logger
    ) async throws -> Page<PublishedTrack> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: VideoRows.trackColumns) FROM published_tracks t
            WHERE t.participant_sid = \(participant.rawValue) AND t.account_sid = \(account.rawValue) AND t.unpublished_at IS NULL
              AND (\(sid?.rawValue)::text IS NULL OR t.sid = \(sid?.rawValue))
              AND t.seq > \(bounds.after) AND t.seq < \(bounds.before)
            ORDER BY t.seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(VideoRows.track), pageSize: pageSize, cursor: cursor)
    }

    /// The tracks `participant` receives now, or the one with `sid`.
    public func subscribedTracks(
        participant: SID, account: SID, sid: SID? = nil, cursor: PageCursor, pageSize: Int, logger: Logger
    ) async throws -> Page<SubscribedTrack> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: VideoRows.trackColumns), s.date_created, s.seq FROM subscribed_tracks s
            JOIN published_tracks t ON t.sid = s.track_sid
            WHERE s.subscriber_sid = \(participant.rawValue) AND s.account_sid = \(account.rawValue)
              AND (\(sid?.rawValue)::text IS NULL OR s.track_sid = \(sid?.rawValue))
              AND s.seq > \(bounds.after) AND s.seq < \(bounds.before)
            ORDER BY s.seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        let items = try rows.map { row -> (sequence: Int64, item: SubscribedTrack) in
            let track = try VideoRows.track(row).item
            let columns = row.makeRandomAccess()
            let subscribed = try columns[10].decode(Date.self, context: .default)
            let sequence = try columns[11].decode(Int64.self, context: .default)
            return (sequence, SubscribedTrack(track: track, subscriberSid: participant, dateSubscribed: subscribed))
        }
        return Page(lookahead: items, pageSize: pageSize, cursor: cursor)
    }
}
