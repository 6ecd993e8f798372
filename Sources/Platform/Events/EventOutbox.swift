import Logging
import Metrics
import PostgresNIO

/// Writes events, and the deliveries they cause, in the caller's transaction: the change and the news of
/// it commit together or not at all.
///
/// Call ``record(_:on:logger:)`` inside the transaction that makes the change, then
/// ``committed()`` after it commits, which wakes this process's dispatcher (and, through a rate-limited
/// PostgreSQL notification, other processes' dispatchers). Nothing here sends `NOTIFY` inside the
/// transaction: a notifying transaction takes a global lock at commit, which would serialise every
/// commit that emits an event.
public struct EventOutbox: Sendable {
    public let signal: DeliverySignal
    private let queued = Counter(label: "parley_deliveries_queued_total")

    public init(signal: DeliverySignal) {
        self.signal = signal
    }

    /// Writes `event` and one pending delivery, due now, for each enabled subscription of the event's
    /// account or of that account's parent whose event types match. The subscriptions are locked as the
    /// deliveries' foreign keys would lock them anyway: one deleted meanwhile is skipped rather than
    /// failing the caller's change.
    /// - Returns: the number of deliveries created.
    @discardableResult
    public func record(_ event: Event, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        var created = 0
        for try await _ in try await connection.execute(RecordEvent(event: event), logger: logger) { created += 1 }
        if created > 0 { queued.increment(by: created) }
        return created
    }

    /// ``record(_:on:logger:)``'s statement, prepared: it runs in every change that emits an event.
    private struct RecordEvent: PostgresPreparedStatement {
        static let sql = """
            WITH event AS (
                INSERT INTO events (sid, account_sid, type, json, form, occurred_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                RETURNING sid)
            INSERT INTO deliveries (sid, account_sid, subscription_sid, event_sid, event_type, url, method, format, status, next_attempt_at)
            SELECT 'ED' || replace(gen_random_uuid()::text, '-', ''), s.account_sid, s.sid, (SELECT sid FROM event),
                   $3, s.url, s.method, s.format, 'pending', clock_timestamp()
            FROM event_subscriptions s
            WHERE s.enabled AND s.event_types && $7::text[]
              AND (s.account_sid = $2 OR s.account_sid = (SELECT parent_sid FROM accounts WHERE sid = $2))
            FOR KEY SHARE OF s
            RETURNING 1
            """
        let event: Event

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 7)
            bindings.append(event.sid.rawValue)
            bindings.append(event.accountSid.rawValue)
            bindings.append(event.type)
            bindings.append(ByteBuffer(bytes: event.jsonBody))
            bindings.append(ByteBuffer(string: FormEncoding.encode(event.formParameters)))
            bindings.append(event.occurredAt)
            bindings.append(EventTypePattern.candidates(for: event.type))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// Wakes dispatchers after the transaction that recorded events has committed.
    public func committed() {
        signal.wakeEverywhere()
    }
}
