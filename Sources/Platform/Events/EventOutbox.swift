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
        let candidates = EventTypePattern.candidates(for: event.type)
        let rows = try await connection.query(
            """
            WITH event AS (
                INSERT INTO events (sid, account_sid, type, json, form, occurred_at)
                VALUES (\(event.sid.rawValue), \(event.accountSid.rawValue), \(event.type), \(ByteBuffer(bytes: event.jsonBody)),
                        \(ByteBuffer(string: FormEncoding.encode(event.formParameters))), \(event.occurredAt))
                RETURNING sid)
            INSERT INTO deliveries (sid, account_sid, subscription_sid, event_sid, event_type, url, method, format, status, next_attempt_at)
            SELECT 'ED' || replace(gen_random_uuid()::text, '-', ''), s.account_sid, s.sid, (SELECT sid FROM event),
                   \(event.type), s.url, s.method, s.format, 'pending', clock_timestamp()
            FROM event_subscriptions s
            WHERE s.enabled AND s.event_types && \(candidates)::text[]
              AND (s.account_sid = \(event.accountSid.rawValue)
                   OR s.account_sid = (SELECT parent_sid FROM accounts WHERE sid = \(event.accountSid.rawValue)))
            FOR KEY SHARE OF s
            RETURNING 1
            """, logger: logger
        ).collect()
        if !rows.isEmpty { queued.increment(by: rows.count) }
        return rows.count
    }

    /// Wakes dispatchers after the transaction that recorded events has committed.
    public func committed() {
        signal.wakeEverywhere()
    }
}
