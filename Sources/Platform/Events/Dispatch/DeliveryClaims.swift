import Foundation
import Logging
import PostgresNIO

/// Claims due deliveries for one worker process.
///
/// A claim is one statement: pick due pending rows with `FOR UPDATE SKIP LOCKED` (concurrent claimers
/// skip each other's rows instead of waiting), push their due time out by the lease and count the
/// attempt, and return them joined with what sending needs (event body, subscription secrets, account
/// auth token). A worker that dies leaves its rows to come due again when the lease runs out.
struct DeliveryClaims: Sendable {
    let database: Database
    let secrets: SecretBox
    let lease: Duration
    /// Identifies this process in `lease_holder` (diagnostics only; ownership is by attempt number).
    let holder: String

    func claim(limit: Int, logger: Logger) async throws -> [ClaimedDelivery] {
        let rows = try await database.withTransaction(logger: logger) { connection in
            try await connection.planWithIndexesOnly(logger: logger)
            var rows: [PostgresRow] = []
            let statement = ClaimDue(limit: limit, leaseSeconds: lease.seconds, holder: holder)
            for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
            return rows
        }
        return try rows.map(decode)
    }

    /// The claim, prepared (it runs for every batch) and planned with indexes only: in order from the due
    /// index, then key lookups.
    private struct ClaimDue: PostgresPreparedStatement {
        static let sql = """
            WITH due AS (
                SELECT sid FROM deliveries
                WHERE status = 'pending' AND next_attempt_at <= clock_timestamp()
                  -- An ordered delivery waits until every earlier one of its key has finished.
                  AND (ordering_key IS NULL OR NOT EXISTS (
                      SELECT 1 FROM deliveries earlier
                      WHERE earlier.ordering_key = deliveries.ordering_key AND earlier.status = 'pending'
                        AND earlier.seq < deliveries.seq))
                ORDER BY next_attempt_at
                LIMIT $1
                FOR UPDATE SKIP LOCKED),
            claimed AS (
                UPDATE deliveries d SET
                    attempt_count = d.attempt_count + 1,
                    next_attempt_at = clock_timestamp() + make_interval(secs => $2),
                    lease_holder = $3
                FROM due WHERE d.sid = due.sid
                RETURNING d.sid, d.account_sid, d.subscription_sid, d.event_sid, d.event_type, d.url, d.method, d.format,
                          d.payload, d.attempt_count, d.schedule_start, d.date_created, d.ordering_key)
            SELECT c.sid, c.account_sid, c.subscription_sid, c.event_sid, c.event_type, c.url, c.method, c.format,
                   CASE WHEN c.event_sid IS NULL THEN c.payload WHEN c.format = 'json' THEN e.json ELSE e.form END,
                   c.attempt_count, c.schedule_start, c.date_created, c.ordering_key IS NOT NULL,
                   s.secret, CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret END, a.auth_token
            FROM claimed c
            JOIN accounts a ON a.sid = c.account_sid
            LEFT JOIN events e ON e.sid = c.event_sid
            LEFT JOIN event_subscriptions s ON s.sid = c.subscription_sid
            """
        let limit: Int
        let leaseSeconds: Double
        let holder: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(limit)
            bindings.append(leaseSeconds)
            bindings.append(holder)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    private typealias Row = (
        String, String, String?, String?, String, String, String, String, ByteBuffer, Int, Int, Date, Bool, Data?, Data?, Data
    )

    private func decode(_ row: PostgresRow) throws -> ClaimedDelivery {
        let (sid, account, subscription, event, type, url, method, format, content, attempt, scheduleStart, created, ordered,
             secret, previousSecret, authToken) = try row.decode(Row.self)
        guard let deliverySid = SID(sid), let accountSid = SID(account), let deliveryFormat = DeliveryFormat(rawValue: format),
            let deliveryMethod = DeliveryMethod(rawValue: method) else {
            throw CorruptRowError(table: "deliveries", key: sid)
        }
        let subscriptionSid = subscription.flatMap { SID($0) }
        var signingSecrets: [WebhookSecret] = []
        if let subscriptionSid {
            for sealed in [secret, previousSecret].compactMap({ $0 }) {
                signingSecrets.append(try WebhookSecret(parsing: try secrets.open(sealed, context: subscriptionSid.rawValue)))
            }
        }
        return ClaimedDelivery(
            sid: deliverySid, accountSid: accountSid, subscriptionSid: subscriptionSid, eventSid: event.flatMap { SID($0) },
            eventType: type, url: url, method: deliveryMethod, format: deliveryFormat, content: Array(buffer: content),
            attempt: attempt, scheduleStart: scheduleStart, signingSecrets: signingSecrets,
            authToken: try secrets.open(authToken, context: account), createdAt: created, ordered: ordered)
    }

    /// Age in seconds of the oldest pending delivery (0 when none).
    func oldestPendingAge(logger: Logger) async throws -> Double {
        let rows = try await database.query(
            """
            SELECT coalesce(extract(epoch FROM clock_timestamp() - min(date_created)), 0)::float8
            FROM deliveries WHERE status = 'pending'
            """, logger: logger)
        return try rows.first?.decode(Double.self) ?? 0
    }
}
