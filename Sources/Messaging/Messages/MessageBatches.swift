import Foundation
import Logging
import Platform
import PostgresNIO

/// A carrier took a message: the ids it gave its segments, in order.
struct Submission: Sendable {
    var sid: SID
    var carrierIDs: [String]
}

/// A carrier's delivery receipt for one segment.
struct SegmentReceipt: Sendable {
    var connection: String
    var carrierMessageID: String
    var status: MessageStatus
    var errorCode: Int?
}

/// The two writes every message sent makes after its claim (the carrier took it; its receipts came), a batch at a
/// time: under load one transaction covers many messages instead of a few each.
enum MessageBatches {
    /// Marks the messages `sent` with their segments, and queues their status callbacks.
    static func recordSubmissions(_ batch: [Submission], database: Database, outbox: EventOutbox, logger: Logger) async throws {
        let callbacks = try await database.withTransaction(logger: logger) { connection -> Bool in
            try await connection.planWithIndexesOnly(logger: logger)
            var sent: [Message] = []
            for try await row in try await connection.execute(RecordSubmissions(batch: batch), logger: logger) {
                sent.append(try MessageRows.message(row).item)
            }
            for message in sent { try await MessageCallbacks.statusChanged(message, on: connection, logger: logger) }
            return sent.contains { $0.statusCallback != nil }
        }
        if callbacks { outbox.committed() }
    }

    /// Settles the segments the receipts name. A message takes its final status when the receipt of its last
    /// outstanding segment comes: `delivered` when every segment was, else `failed` or `undelivered` with the
    /// segment's error code. Receipts for segments already final change nothing (SMSCs resend them).
    /// - Returns: per receipt, whether a segment has its id (not yet: it may have overtaken its submission).
    static func recordReceipts(_ batch: [SegmentReceipt], database: Database, outbox: EventOutbox, logger: Logger) async throws -> [Bool] {
        let (found, callbacks) = try await database.withTransaction(logger: logger) { connection -> ([Bool], Bool) in
            try await connection.planWithIndexesOnly(logger: logger)
            var found = Array(repeating: false, count: batch.count)
            var owners: Set<String> = []
            for try await row in try await connection.execute(FindReceiptOwners(batch: batch), logger: logger) {
                let (ordinal, owner) = try row.decode((Int, String).self)
                found[ordinal - 1] = true
                owners.insert(owner)
            }
            if owners.isEmpty { return (found, false) }
            // The messages' rows serialise their segments' receipts (in one order, so batches never deadlock):
            // exactly one transaction sees a message's last segment settle.
            try await connection.query(
                "SELECT 1 FROM messages WHERE sid = ANY(\(Array(owners))::text[]) ORDER BY sid FOR UPDATE", logger: logger)
            for try await _ in try await connection.execute(SettleSegments(batch: batch), logger: logger) {}
            var finished: [Message] = []
            for try await row in try await connection.execute(FinishMessages(sids: Array(owners)), logger: logger) {
                finished.append(try MessageRows.message(row).item)
            }
            for message in finished { try await MessageCallbacks.statusChanged(message, on: connection, logger: logger) }
            return (found, finished.contains { $0.statusCallback != nil })
        }
        if callbacks { outbox.committed() }
        return found
    }

    private struct RecordSubmissions: PostgresPreparedStatement {
        static let sql = """
            WITH sent AS (
                UPDATE messages m SET status = 'sent', carrier_message_id = coalesce(NULLIF(a.first_id, ''), m.carrier_message_id),
                    date_sent = now(), date_updated = now()
                FROM unnest($1::text[], $2::text[]) AS a(message_sid, first_id)
                WHERE m.sid = a.message_sid AND m.status = 'sending'
                RETURNING \(MessageRows.columns)),
            parts AS (
                INSERT INTO message_parts (message_sid, account_sid, part, connection, carrier_message_id, status)
                SELECT s.sid, s.account_sid, p.part, s.connection, p.carrier_id, 'sent'
                FROM unnest($3::text[], $4::int8[], $5::text[]) AS p(message_sid, part, carrier_id) JOIN sent s ON s.sid = p.message_sid)
            SELECT * FROM sent
            """
        let batch: [Submission]

        func makeBindings() throws -> PostgresBindings {
            let parts = batch.flatMap { submission in
                submission.carrierIDs.enumerated().map { (submission.sid.rawValue, $0.offset, $0.element) }
            }
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(batch.map(\.sid.rawValue))
            bindings.append(batch.map { $0.carrierIDs.first ?? "" })
            bindings.append(parts.map(\.0))
            bindings.append(parts.map(\.1))
            bindings.append(parts.map(\.2))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// Per receipt (by its 1-based position) the message owning the segment it names.
    private struct FindReceiptOwners: PostgresPreparedStatement {
        static let sql = """
            SELECT r.ordinal, p.message_sid
            FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS r(connection, carrier_id, ordinal)
            JOIN message_parts p ON p.connection = r.connection AND p.carrier_message_id = r.carrier_id
            """
        let batch: [SegmentReceipt]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(batch.map(\.connection))
            bindings.append(batch.map(\.carrierMessageID))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    private struct SettleSegments: PostgresPreparedStatement {
        static let sql = """
            UPDATE message_parts p SET status = r.status, error_code = NULLIF(r.error_code, -1)
            FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[]) AS r(connection, carrier_id, status, error_code)
            WHERE p.connection = r.connection AND p.carrier_message_id = r.carrier_id AND p.status = 'sent'
            """
        let batch: [SegmentReceipt]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 4)
            bindings.append(batch.map(\.connection))
            bindings.append(batch.map(\.carrierMessageID))
            bindings.append(batch.map(\.status.rawValue))
            bindings.append(batch.map { $0.errorCode ?? -1 })
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// Gives each of the messages whose every segment is settled its final status: the worst segment's (a failed
    /// one first, then any not delivered), with that segment's error code.
    private struct FinishMessages: PostgresPreparedStatement {
        static let sql = """
            WITH settled AS (
                SELECT message_sid, bool_and(status = 'delivered') AS delivered,
                       (array_agg(status ORDER BY (status = 'failed') DESC, (status = 'delivered'), part))[1] AS worst_status,
                       (array_agg(error_code ORDER BY (status = 'failed') DESC, (status = 'delivered'), part))[1] AS worst_code
                FROM message_parts WHERE message_sid = ANY($1::text[])
                GROUP BY message_sid
                HAVING NOT bool_or(status = 'sent'))
            UPDATE messages m SET
                status = CASE WHEN s.delivered THEN 'delivered' WHEN s.worst_status = 'failed' THEN 'failed' ELSE 'undelivered' END,
                error_code = CASE WHEN s.delivered THEN m.error_code ELSE coalesce(s.worst_code, m.error_code) END,
                date_updated = now()
            FROM settled s
            WHERE m.sid = s.message_sid AND m.status IN ('sending', 'sent')
            RETURNING \(MessageRows.columns)
            """
        let sids: [String]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(sids)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }
}
