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
        let statement = CreateMessage(sid: SID.generate(.message), account: account, new: new, segmented: SMSSegmentedMessage(body: new.body))
        // One statement takes the slot and writes the row; only a status callback needs a transaction around it.
        let created: Message?
        if new.statusCallback == nil {
            created = try await database.execute(statement, logger: logger).first.map(MessageRows.message)?.item
        } else {
            created = try await database.withTransaction(logger: logger) { connection in
                try await Self.insert(statement, on: connection, logger: logger)
            }
            if created != nil { outbox.committed() }
        }
        guard let created else { throw try await whyNotSendable(from: new.from, account: account, logger: logger) }
        return created
    }

    /// ``create(_:account:logger:)`` in the caller's transaction (which must call `outbox.committed()` after it
    /// commits, for the status callbacks).
    public func create(_ new: NewMessage, account: SID, on connection: PostgresConnection, logger: Logger) async throws -> Message {
        guard new.from != new.to else { throw MessageError.sameToAndFrom }
        let statement = CreateMessage(sid: SID.generate(.message), account: account, new: new, segmented: SMSSegmentedMessage(body: new.body))
        guard let created = try await Self.insert(statement, on: connection, logger: logger) else {
            throw try await whyNotSendable(from: new.from, account: account, logger: logger)
        }
        return created
    }

    private static func insert(_ statement: CreateMessage, on connection: PostgresConnection, logger: Logger) async throws -> Message? {
        var rows: [PostgresRow] = []
        for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
        guard let message = try rows.first.map(MessageRows.message)?.item else { return nil }
        try await MessageCallbacks.statusChanged(message, on: connection, logger: logger)
        return message
    }

    /// Why `account` cannot send from `number`: it does not own it, or the number cannot send SMS.
    private func whyNotSendable(from number: PhoneNumber, account: SID, logger: Logger) async throws -> MessageError {
        let owned = try await database.query(
            "SELECT 1 FROM incoming_phone_numbers WHERE account_sid = \(account.rawValue) AND phone_number = \(number.e164)",
            logger: logger)
        return owned.isEmpty ? MessageError.fromNotOwned(number) : MessageError.fromNotSMSCapable(number)
    }

    /// ``create(_:account:logger:)``'s statement, prepared (it runs for every message sent): takes the number's
    /// slot, moving it on by the message's segments ÷ the number's rate, and writes the message due at the slot.
    /// No row: the account has no SMS-capable number `from`.
    private struct CreateMessage: PostgresPreparedStatement {
        static let sql = """
            WITH slot AS (
                UPDATE incoming_phone_numbers p
                SET sms_next_free_at = greatest(p.sms_next_free_at, now()) + make_interval(secs => $8::float8 / n.segments_per_second)
                FROM number_inventory n
                WHERE n.phone_number = p.phone_number AND p.account_sid = $2 AND p.phone_number = $4 AND n.sms
                RETURNING p.sms_next_free_at - make_interval(secs => $8::float8 / n.segments_per_second) AS send_after, n.connection)
            INSERT INTO messages (sid, account_sid, direction, from_number, to_number, body, media_urls, num_segments, encoding,
                status, status_callback, status_callback_method, validity_period, connection, send_after)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', $10, $11, $12, slot.connection, slot.send_after FROM slot
            RETURNING \(MessageRows.columns)
            """
        /// Declared, not inferred from the first bindings: a NULL would leave `$10` or `$12` typed by its first use.
        static let bindingDataTypes: [PostgresDataType] = [
            .text, .text, .text, .text, .text, .text, .textArray, .int8, .text, .text, .text, .int8,
        ]
        let sid: SID
        let account: SID
        let new: NewMessage
        let segmented: SMSSegmentedMessage

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 12)
            bindings.append(sid.rawValue)
            bindings.append(account.rawValue)
            bindings.append(new.direction.rawValue)
            bindings.append(new.from.e164)
            bindings.append(new.to.e164)
            bindings.append(new.body)
            bindings.append(new.mediaURLs)
            bindings.append(segmented.numSegments)
            bindings.append(segmented.encoding.rawValue)
            bindings.append(new.statusCallback)
            bindings.append(new.statusCallbackMethod.rawValue)
            bindings.append(new.validityPeriod)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
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
