import Foundation
import Logging
import Platform
import PostgresNIO

/// The status changes of messages after they are created: claiming the due ones for sending, what the carrier
/// said, delivery receipts, and inbound messages arriving. Each change and its status callback commit together.
public struct MessageLifecycle: Sendable {
    let database: Database
    let outbox: EventOutbox
    private let submissions: BatchWriter<Submission, Void>
    private let receipts: BatchWriter<SegmentReceipt, Bool>
    /// Items written in one transaction, at most.
    static let maximumBatch = 256

    public init(database: Database, outbox: EventOutbox) {
        self.database = database
        self.outbox = outbox
        let logger = Logger(label: "parley.messages")
        submissions = BatchWriter(maximumBatch: Self.maximumBatch) { batch in
            try await MessageBatches.recordSubmissions(batch, database: database, outbox: outbox, logger: logger)
            return batch.map { _ in () }
        }
        receipts = BatchWriter(maximumBatch: Self.maximumBatch) { batch in
            try await MessageBatches.recordReceipts(batch, database: database, outbox: outbox, logger: logger)
        }
    }

    /// Twilio's 30001 ("Queue overflow"): the message waited longer than its `ValidityPeriod`.
    static let expiredInQueue = 30001

    /// A message `sending` this long was claimed by a sender that died: it is claimed again (at least once).
    static let abandonedAfter = 600

    /// Moves up to `limit` queued messages whose slot has come to `sending` and returns them, oldest slot first,
    /// with any a dead sender left `sending`. Messages past their validity period fail instead. Claims skip rows
    /// another sender holds.
    public func claimDue(limit: Int, logger: Logger) async throws -> [Message] {
        let (claimed, changed) = try await database.withTransaction(logger: logger) { connection -> ([Message], Bool) in
            let rows = try await connection.query(
                """
                UPDATE messages m SET
                    status = CASE WHEN m.validity_period IS NOT NULL AND now() > m.date_created + make_interval(secs => m.validity_period)
                                  THEN 'failed' ELSE 'sending' END,
                    error_code = CASE WHEN m.validity_period IS NOT NULL AND now() > m.date_created + make_interval(secs => m.validity_period)
                                      THEN \(Self.expiredInQueue) END,
                    error_message = CASE WHEN m.validity_period IS NOT NULL AND now() > m.date_created + make_interval(secs => m.validity_period)
                                         THEN 'the message waited longer than its ValidityPeriod' END,
                    date_updated = now()
                WHERE m.sid IN (
                    SELECT sid FROM messages
                    WHERE (status = 'queued' AND send_after <= now())
                       OR (status = 'sending' AND date_updated < now() - make_interval(secs => \(Self.abandonedAfter)))
                    ORDER BY send_after LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: MessageRows.columns)
                """, logger: logger
            ).collect()
            var claimed: [Message] = []
            for row in rows {
                let message = try MessageRows.message(row).item
                try await MessageCallbacks.statusChanged(message, on: connection, logger: logger)
                if message.status == .sending { claimed.append(message) }
            }
            return (claimed.sorted { $0.dateCreated < $1.dateCreated }, !rows.isEmpty)
        }
        if changed { outbox.committed() }
        return claimed
    }

    /// When the next queued message's slot comes (nil: none is queued).
    public func nextSlot(logger: Logger) async throws -> Date? {
        let rows = try await database.query("SELECT min(send_after) FROM messages WHERE status = 'queued'", logger: logger)
        return try rows.first?.decode(Date?.self)
    }

    /// Records what the carrier did with a message being sent.
    public func record(_ outcome: CarrierOutcome, for sid: SID, logger: Logger) async throws {
        switch outcome {
        case .accepted(let carrierIDs):
            try await submissions.submit(Submission(sid: sid, carrierIDs: carrierIDs))
        case .delivered(let carrierID):
            try await change(sid, from: ["sending"], to: .sent, carrierMessageID: carrierID, logger: logger)
            try await change(sid, from: ["sent"], to: .delivered, logger: logger)
        case .rejected(let code, let reason):
            try await change(sid, from: ["sending"], to: .failed, errorCode: code, errorMessage: reason, logger: logger)
        case .interrupted:
            try await change(sid, from: ["sending"], to: .queued, logger: logger)
        }
    }

    /// A delivery receipt from `connection` for the segment it knows as `carrierMessageID` (see
    /// ``MessageBatches/recordReceipts(_:database:outbox:logger:)``). Returns false when no segment has that id
    /// (yet: a receipt may overtake the recording of its submission).
    @discardableResult
    public func receipt(
        connection: String, carrierMessageID: String, status: MessageStatus, errorCode: Int?, logger: Logger
    ) async throws -> Bool {
        try await receipts.submit(
            SegmentReceipt(connection: connection, carrierMessageID: carrierMessageID, status: status, errorCode: errorCode))
    }

    private func change(
        _ sid: SID, from: [String], to status: MessageStatus, carrierMessageID: String? = nil, errorCode: Int? = nil,
        errorMessage: String? = nil, logger: Logger
    ) async throws {
        let changed = try await database.withTransaction(logger: logger) { connection -> Bool in
            let rows = try await connection.query(
                """
                UPDATE messages SET status = \(status.rawValue), carrier_message_id = coalesce(\(carrierMessageID), carrier_message_id),
                    error_code = coalesce(\(errorCode), error_code), error_message = coalesce(\(errorMessage), error_message),
                    date_sent = CASE WHEN \(status.rawValue) = 'sent' THEN now() ELSE date_sent END, date_updated = now()
                WHERE sid = \(sid.rawValue) AND status = ANY(\(from))
                RETURNING \(unescaped: MessageRows.columns)
                """, logger: logger
            ).collect()
            guard let row = rows.first else { return false }
            let message = try MessageRows.message(row).item
            try await MessageCallbacks.statusChanged(message, on: connection, logger: logger)
            return true
        }
        if changed { outbox.committed() }
    }

    /// Records a message that arrived for `to` (a number some account owns): `received`, for its owner. Nil when
    /// no account owns `to`.
    public func receive(from: String, to: PhoneNumber, body: String, logger: Logger) async throws -> (Message, IncomingPhoneNumber)? {
        let segmented = SMSSegmentedMessage(body: body)
        let rows = try await database.query(
            """
            WITH owner AS (
                SELECT p.account_sid, n.connection FROM incoming_phone_numbers p JOIN number_inventory n ON n.phone_number = p.phone_number
                WHERE p.phone_number = \(to.e164))
            INSERT INTO messages (sid, account_sid, direction, from_number, to_number, body, media_urls, num_segments, encoding,
                status, status_callback_method, connection, date_sent)
            SELECT \(SID.generate(.message).rawValue), owner.account_sid, 'inbound', \(from), \(to.e164), \(body), '{}',
                \(segmented.numSegments), \(segmented.encoding.rawValue), 'received', 'POST', owner.connection, now()
            FROM owner
            RETURNING \(unescaped: MessageRows.columns)
            """, logger: logger)
        guard let row = rows.first else { return nil }
        let message = try MessageRows.message(row).item
        let numbers = try await database.query(
            """
            SELECT \(unescaped: NumberRows.incomingColumns) FROM incoming_phone_numbers p JOIN number_inventory n ON n.phone_number = p.phone_number
            WHERE p.phone_number = \(to.e164) AND p.account_sid = \(message.accountSid.rawValue)
            """, logger: logger)
        guard let number = try numbers.first.map(NumberRows.incoming)?.item else { return nil }
        return (message, number)
    }
}
