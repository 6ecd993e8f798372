import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Writes finished attempts in batches: one transaction of a few statements per batch instead of two
/// statements per delivery, which is what lets a gateway record thousands of deliveries a second.
///
/// Completions queue in memory while the previous batch is being written, so batches grow with load
/// and a quiet system writes each completion at once.
final class DeliveryRecorder: Sendable {
    static let maximumBatch = 500

    private let database: Database
    private let logger: Logger
    /// Called with each batch once it is written.
    private let written: @Sendable ([DeliveryCompletion]) -> Void
    private let pending = Mutex<[DeliveryCompletion]>([])
    private let (arrivals, arrived) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

    init(database: Database, logger: Logger, written: @escaping @Sendable ([DeliveryCompletion]) -> Void) {
        self.database = database
        self.logger = logger
        self.written = written
    }

    func add(_ completion: DeliveryCompletion) {
        pending.withLock { $0.append(completion) }
        arrived.yield()
    }

    /// Stops once ``finish()`` was called and everything queued is written.
    func finish() {
        arrived.finish()
    }

    func run() async {
        for await _ in arrivals { await drain() }
        await drain()
    }

    private func drain() async {
        while true {
            let batch = pending.withLock { queue in
                let batch = Array(queue.prefix(Self.maximumBatch))
                queue.removeFirst(batch.count)
                return batch
            }
            if batch.isEmpty { return }
            do {
                try await write(batch)
                written(batch)
            } catch {
                // The deliveries stay leased and become due again when their lease runs out: at worst sent twice.
                logger.error("could not record delivery attempts", metadata: ["error": "\(String(reflecting: error))", "count": "\(batch.count)"])
                return
            }
        }
    }

    private func write(_ batch: [DeliveryCompletion]) async throws {
        let attempts = batch.compactMap { completion in completion.record.map { (completion, $0) } }
        let gone = batch.filter { $0.decision == .gone }.compactMap(\.subscriptionSid)
        try await database.withTransaction(logger: logger) { connection in
            try await connection.planWithIndexesOnly(logger: logger)
            if !attempts.isEmpty {
                for try await _ in try await connection.execute(InsertAttempts(attempts: attempts), logger: logger) {}
            }
            for try await _ in try await connection.execute(CompleteDeliveries(batch: batch), logger: logger) {}
            if !gone.isEmpty {
                let reason = "the receiver answered 410 Gone"
                try await connection.query(
                    """
                    UPDATE event_subscriptions SET enabled = false, disabled_reason = \(reason), date_updated = now()
                    WHERE sid = ANY(\(gone)::text[]) AND enabled
                    """, logger: logger)
                try await connection.query(
                    """
                    UPDATE deliveries SET status = 'failed', next_attempt_at = NULL, lease_holder = NULL,
                        last_error = 'subscription disabled: ' || \(reason), date_updated = clock_timestamp()
                    WHERE subscription_sid = ANY(\(gone)::text[]) AND status = 'pending'
                    """, logger: logger)
            }
        }
    }

    /// One row per attempt made; a number already recorded (a replayed batch) is left alone.
    private struct InsertAttempts: PostgresPreparedStatement {
        static let sql = """
            INSERT INTO delivery_attempts
                (delivery_sid, number, account_sid, started_at, url, response_code, latency_ms, response_excerpt, error)
            SELECT a.sid, a.number, a.account, to_timestamp(a.started), a.url, NULLIF(a.code, -1), a.latency,
                   decode(NULLIF(a.excerpt, ''), 'hex'), NULLIF(a.error, '')
            FROM unnest($1::text[], $2::int8[], $3::text[], $4::float8[], $5::text[], $6::int8[], $7::float8[], $8::text[], $9::text[])
                 AS a(sid, number, account, started, url, code, latency, excerpt, error)
            ON CONFLICT DO NOTHING
            """
        let attempts: [(DeliveryCompletion, DeliveryCompletion.AttemptRecord)]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 9)
            bindings.append(attempts.map { $0.0.deliverySid })
            bindings.append(attempts.map { $0.0.attempt })
            bindings.append(attempts.map { $0.0.accountSid })
            bindings.append(attempts.map { $0.1.startedAt.timeIntervalSince1970 })
            bindings.append(attempts.map { $0.1.url })
            bindings.append(attempts.map { $0.1.responseCode ?? -1 })
            bindings.append(attempts.map { $0.1.latency.seconds * 1000 })
            bindings.append(attempts.map { Hex.encode($0.1.excerpt.prefix(DeliveryCompletion.excerptLimit)) })
            bindings.append(attempts.map { $0.1.error ?? "" })
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// The new state of each delivery, applied only where the row still carries the claim's attempt number.
    private struct CompleteDeliveries: PostgresPreparedStatement {
        static let sql = """
            UPDATE deliveries d SET
                status = u.status,
                attempt_count = d.attempt_count - u.unspent,
                next_attempt_at = CASE WHEN u.delay < 0 THEN NULL ELSE clock_timestamp() + make_interval(secs => u.delay) END,
                last_response_code = CASE WHEN u.recorded = 1 THEN NULLIF(u.code, -1) ELSE d.last_response_code END,
                last_error = CASE WHEN u.recorded = 1 OR u.error <> '' THEN NULLIF(u.error, '') ELSE d.last_error END,
                lease_holder = NULL,
                date_updated = clock_timestamp(),
                date_delivered = CASE WHEN u.status = 'delivered' THEN clock_timestamp() ELSE d.date_delivered END
            FROM unnest($1::text[], $2::int8[], $3::text[], $4::float8[], $5::int8[], $6::int8[], $7::int8[], $8::text[])
                 AS u(sid, attempt, status, delay, unspent, recorded, code, error)
            WHERE d.sid = u.sid AND d.attempt_count = u.attempt AND d.status = 'pending'
            """
        let batch: [DeliveryCompletion]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 8)
            bindings.append(batch.map(\.deliverySid))
            bindings.append(batch.map(\.attempt))
            bindings.append(batch.map(\.status))
            bindings.append(batch.map(\.delaySeconds))
            bindings.append(batch.map { $0.record == nil ? 1 : 0 })
            bindings.append(batch.map { $0.record == nil ? 0 : 1 })
            bindings.append(batch.map { $0.record?.responseCode ?? -1 })
            bindings.append(batch.map { $0.record?.error ?? $0.note ?? "" })
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }
}
