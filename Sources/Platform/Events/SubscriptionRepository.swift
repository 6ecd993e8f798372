import Foundation
import Logging
import PostgresNIO

/// How a delivery's body is written: native JSON events, or the Twilio-style parameter set.
public enum DeliveryFormat: String, Sendable, CaseIterable {
    case json
    case form
}

/// The HTTP method of a delivery; `GET` (parameters in the query string) only with ``DeliveryFormat/form``.
public enum DeliveryMethod: String, Sendable, CaseIterable {
    case get = "GET"
    case post = "POST"
}

/// Where an account wants its events: a URL, the event types it listens to, and how they are sent.
/// Its signing secret is never part of it: it is returned by create and rotate only.
public struct EventSubscription: Sendable, Equatable {
    public var sid: SID
    public var accountSid: SID
    public var friendlyName: String?
    /// Where events go; it may carry Twilio connection overrides in its fragment.
    public var url: String
    /// Event type patterns (`account.created`, `account.*`, `*`).
    public var eventTypes: [String]
    public var format: DeliveryFormat
    public var method: DeliveryMethod
    public var enabled: Bool
    /// Why the subscription was disabled by Parley (e.g. the receiver answered 410 Gone).
    public var disabledReason: String?
    /// Until when the rotated-out secret keeps signing alongside the current one.
    public var previousSecretExpiresAt: Date?
    public var dateCreated: Date
    public var dateUpdated: Date
}

/// Reads and writes event subscriptions; every call is scoped by the owning account.
///
/// Secrets are sealed with the subscription's SID as context, both the current and the previous one, so a
/// rotation moves the sealed bytes from one column to the other without opening them.
public struct SubscriptionRepository: Sendable {
    let database: Database
    let secrets: SecretBox

    public init(database: Database, secrets: SecretBox) {
        self.database = database
        self.secrets = secrets
    }

    private static let columns = """
        sid, account_sid, friendly_name, url, event_types, format, method, enabled, disabled_reason,
        previous_secret_expires_at, date_created, date_updated, seq
        """
    private typealias Row = (String, String, String?, String, [String], String, String, Bool, String?, Date?, Date, Date, Int64)

    /// Checks that `method` may be used with `format`: `GET` only carries form parameters.
    public static func checkMethod(_ method: DeliveryMethod, format: DeliveryFormat) throws {
        guard method == .post || format == .form else {
            throw APIError.invalidParameter("Method", "GET is only available with Format=form (JSON events are POSTed)")
        }
    }

    /// Creates a subscription with a new signing secret; the secret is returned here and by
    /// ``rotateSecret(_:account:logger:)`` only. `url` and `eventTypes` must be validated by the caller.
    public func create(
        account: SID, url: String, eventTypes: [String], format: DeliveryFormat, method: DeliveryMethod,
        friendlyName: String?, enabled: Bool, logger: Logger
    ) async throws -> (subscription: EventSubscription, secret: WebhookSecret) {
        try Self.checkMethod(method, format: format)
        let sid = SID.generate(.eventSubscription)
        let secret = WebhookSecret.generate()
        let sealed = try secrets.seal(secret.serialized, context: sid.rawValue)
        let rows = try await database.query(
            """
            INSERT INTO event_subscriptions (sid, account_sid, friendly_name, url, event_types, format, method, enabled, secret)
            VALUES (\(sid.rawValue), \(account.rawValue), \(friendlyName), \(url), \(eventTypes), \(format.rawValue),
                    \(method.rawValue), \(enabled), \(sealed))
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)
        return (try decode(rows[0]).item, secret)
    }

    public func find(_ sid: SID, account: SID, logger: Logger) async throws -> EventSubscription? {
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns) FROM event_subscriptions
            WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)
            """, logger: logger)
        return try rows.first.map(decode)?.item
    }

    /// The account's subscriptions, optionally only the enabled (or disabled) ones, one page at a time.
    public func list(account: SID, enabled: Bool?, cursor: PageCursor, pageSize: Int, logger: Logger) async throws -> Page<EventSubscription> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns) FROM event_subscriptions
            WHERE account_sid = \(account.rawValue) AND (\(enabled)::boolean IS NULL OR enabled = \(enabled))
              AND seq > \(bounds.after) AND seq < \(bounds.before)
            ORDER BY seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(decode), pageSize: pageSize, cursor: cursor)
    }

    /// Changes a subscription; `nil` fields are left alone, and `enabled: true` clears `disabled_reason`.
    /// Its pending deliveries follow a new URL, format or method; disabling it fails them ("subscription
    /// disabled"; kept and replayable).
    /// Returns `nil` when the account has no such subscription.
    public func update(
        _ sid: SID, account: SID, url: String?, eventTypes: [String]?, format: DeliveryFormat?, method: DeliveryMethod?,
        friendlyName: String?, enabled: Bool?, logger: Logger
    ) async throws -> EventSubscription? {
        try await database.withTransaction(logger: logger) { connection in
            let current = try await connection.query(
                """
                SELECT format, method FROM event_subscriptions
                WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)
                FOR UPDATE
                """, logger: logger
            ).collect()
            guard let (currentFormat, currentMethod) = try current.first?.decode((String, String).self) else { return nil }
            guard let storedFormat = DeliveryFormat(rawValue: currentFormat), let storedMethod = DeliveryMethod(rawValue: currentMethod) else {
                throw CorruptRowError(table: "event_subscriptions", key: sid.rawValue)
            }
            try Self.checkMethod(method ?? storedMethod, format: format ?? storedFormat)
            let rows = try await connection.query(
                """
                UPDATE event_subscriptions SET
                    url = coalesce(\(url), url),
                    event_types = coalesce(\(eventTypes)::text[], event_types),
                    format = coalesce(\(format?.rawValue), format),
                    method = coalesce(\(method?.rawValue), method),
                    friendly_name = coalesce(\(friendlyName), friendly_name),
                    enabled = coalesce(\(enabled), enabled),
                    disabled_reason = CASE WHEN \(enabled)::boolean THEN NULL ELSE disabled_reason END,
                    date_updated = now()
                WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).collect()
            let subscription = try decode(rows[0]).item
            try await connection.query(
                """
                UPDATE deliveries SET url = \(subscription.url), format = \(subscription.format.rawValue),
                    method = \(subscription.method.rawValue), date_updated = clock_timestamp(),
                    status = CASE WHEN \(subscription.enabled) THEN status ELSE 'failed' END,
                    next_attempt_at = CASE WHEN \(subscription.enabled) THEN next_attempt_at END,
                    last_error = CASE WHEN \(subscription.enabled) THEN last_error ELSE 'subscription disabled' END
                WHERE subscription_sid = \(sid.rawValue) AND status = 'pending'
                """, logger: logger)
            return subscription
        }
    }

    /// Deletes a subscription and, in the same transaction, marks its pending deliveries `failed`
    /// ("subscription deleted"); they are kept, with no subscription. `false` when the account has no such
    /// subscription.
    ///
    /// The deliveries are failed after the delete, by what it leaves behind (pending event deliveries of the
    /// account without a subscription): that also catches deliveries an event recorded concurrently
    /// committed while the delete waited for them.
    public func delete(_ sid: SID, account: SID, logger: Logger) async throws -> Bool {
        try await database.withTransaction(logger: logger) { connection in
            let deleted = try await connection.query(
                "DELETE FROM event_subscriptions WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue) RETURNING 1",
                logger: logger
            ).collect()
            guard !deleted.isEmpty else { return false }
            try await connection.query(
                """
                UPDATE deliveries SET status = 'failed', last_error = 'subscription deleted', next_attempt_at = NULL,
                    date_updated = clock_timestamp()
                WHERE account_sid = \(account.rawValue) AND status = 'pending'
                  AND subscription_sid IS NULL AND event_sid IS NOT NULL
                """, logger: logger)
            return true
        }
    }

    /// Replaces the signing secret; the old one keeps signing alongside for 24 hours (a secret rotated out
    /// earlier stops at once).
    /// Returns the subscription and its new secret, or `nil` when the account has no such subscription.
    public func rotateSecret(_ sid: SID, account: SID, logger: Logger) async throws -> (subscription: EventSubscription, secret: WebhookSecret)? {
        let secret = WebhookSecret.generate()
        let sealed = try secrets.seal(secret.serialized, context: sid.rawValue)
        let rows = try await database.query(
            """
            UPDATE event_subscriptions SET
                previous_secret = secret,
                previous_secret_expires_at = now() + interval '24 hours',
                secret = \(sealed),
                date_updated = now()
            WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)
        return try rows.first.map { (try decode($0).item, secret) }
    }

    private func decode(_ row: PostgresRow) throws -> (sequence: Int64, item: EventSubscription) {
        let (sid, account, friendlyName, url, eventTypes, format, method, enabled, disabledReason, previousExpiry, created, updated, sequence) =
            try row.decode(Row.self)
        guard let subscriptionSid = SID(sid), let accountSid = SID(account),
            let deliveryFormat = DeliveryFormat(rawValue: format), let deliveryMethod = DeliveryMethod(rawValue: method)
        else { throw CorruptRowError(table: "event_subscriptions", key: sid) }
        let subscription = EventSubscription(
            sid: subscriptionSid, accountSid: accountSid, friendlyName: friendlyName, url: url, eventTypes: eventTypes,
            format: deliveryFormat, method: deliveryMethod, enabled: enabled, disabledReason: disabledReason,
            previousSecretExpiresAt: previousExpiry, dateCreated: created, dateUpdated: updated)
        return (sequence, subscription)
    }
}
