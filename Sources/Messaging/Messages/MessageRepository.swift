import Foundation
import Logging
import Platform
import PostgresNIO

/// Messages: creating outbound ones (checked, segmented, queued at their number's rate), recording inbound ones,
/// reading and deleting. Every call is scoped by the account; every status change queues its status callback.
public struct MessageRepository: Sendable {
    let database: Database
    let outbox: EventOutbox

    public init(database: Database, outbox: EventOutbox) {
        self.database = database
        self.outbox = outbox
    }

    /// Twilio's limit on a body: 1600 characters.
    public static let maximumBodyLength = 1600

    /// Queues `new` from one of `account`'s SMS-capable numbers. The message waits for its number's next free
    /// slot: each takes the slot and moves it on by its segments ÷ the number's rate, so a burst is queued, never
    /// dropped.
    public func create(_ new: NewMessage, account: SID, logger: Logger) async throws -> Message {
        guard new.from != new.to else { throw MessageError.sameToAndFrom }
        let segmented = SMSSegmentedMessage(body: new.body)
        let message = try await database.withTransaction(logger: logger) { connection -> Message in
            let numbers = try await connection.query(
                """
                UPDATE incoming_phone_numbers p
                SET sms_next_free_at = greatest(p.sms_next_free_at, now())
                    + make_interval(secs => \(segmented.numSegments)::float8 / n.segments_per_second)
                FROM number_inventory n
                WHERE n.phone_number = p.phone_number AND p.account_sid = \(account.rawValue) AND p.phone_number = \(new.from.e164)
                  AND n.sms
                RETURNING p.sms_next_free_at - make_interval(secs => \(segmented.numSegments)::float8 / n.segments_per_second), n.connection
                """, logger: logger
            ).collect()
            guard let slot = numbers.first else {
                let owned = try await connection.query(
                    "SELECT 1 FROM incoming_phone_numbers WHERE account_sid = \(account.rawValue) AND phone_number = \(new.from.e164)",
                    logger: logger
                ).collect()
                throw owned.isEmpty ? MessageError.fromNotOwned(new.from) : MessageError.fromNotSMSCapable(new.from)
            }
            let (sendAfter, carrier) = try slot.decode((Date, String).self)
            let sid = SID.generate(.message)
            let rows = try await connection.query(
                """
                INSERT INTO messages (sid, account_sid, direction, from_number, to_number, body, media_urls, num_segments, encoding,
                    status, status_callback, status_callback_method, validity_period, connection, send_after)
                VALUES (\(sid.rawValue), \(account.rawValue), \(new.direction.rawValue), \(new.from.e164), \(new.to.e164), \(new.body),
                    \(new.mediaURLs), \(segmented.numSegments), \(segmented.encoding.rawValue), 'queued', \(new.statusCallback),
                    \(new.statusCallbackMethod.rawValue), \(new.validityPeriod), \(carrier), \(sendAfter))
                RETURNING \(unescaped: MessageRows.columns)
                """, logger: logger
            ).collect()
            let message = try MessageRows.message(rows[0]).item
            try await MessageCallbacks.statusChanged(message, on: connection, logger: logger)
            return message
        }
        outbox.committed()
        return message
    }

    public func find(_ sid: SID, account: SID, logger: Logger) async throws -> Message? {
        let rows = try await database.query(
            "SELECT \(unescaped: MessageRows.columns) FROM messages WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)",
            logger: logger)
        return try rows.first.map(MessageRows.message)?.item
    }

    /// Twilio's list filters: `To`, `From` (exact) and the sending time (`DateSent`, `DateSent<`, `DateSent>`),
    /// here as a half-open range.
    public struct ListFilter: Sendable {
        public var to: String?
        public var from: String?
        public var sentFrom: Date?
        public var sentBefore: Date?

        public init() {}
    }

    public func list(account: SID, filter: ListFilter, cursor: PageCursor, pageSize: Int, logger: Logger) async throws -> Page<Message> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: MessageRows.columns) FROM messages
            WHERE account_sid = \(account.rawValue)
              AND (\(filter.to)::text IS NULL OR to_number = \(filter.to))
              AND (\(filter.from)::text IS NULL OR from_number = \(filter.from))
              AND (\(filter.sentFrom)::timestamptz IS NULL OR date_sent >= \(filter.sentFrom))
              AND (\(filter.sentBefore)::timestamptz IS NULL OR date_sent < \(filter.sentBefore))
              AND seq > \(bounds.after) AND seq < \(bounds.before)
            ORDER BY seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(MessageRows.message), pageSize: pageSize, cursor: cursor)
    }

    /// Deletes a message that reached its final status. `nil`: no such message; `false`: still being sent.
    public func delete(_ sid: SID, account: SID, logger: Logger) async throws -> Bool? {
        let rows = try await database.query(
            """
            WITH target AS (SELECT sid, status FROM messages WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)),
            deleted AS (
                DELETE FROM messages m USING target
                WHERE m.sid = target.sid AND target.status IN ('delivered', 'undelivered', 'failed', 'received')
                RETURNING m.sid)
            SELECT (SELECT count(*) FROM deleted) > 0 FROM target
            """, logger: logger)
        guard let row = rows.first else { return nil }
        return try row.decode(Bool.self)
    }
}
