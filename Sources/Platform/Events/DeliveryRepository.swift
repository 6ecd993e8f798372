import Foundation
import Logging
import PostgresNIO

/// Where a delivery stands: waiting for its next attempt, done, or out of attempts (kept, and replayable).
public enum DeliveryStatus: String, Sendable, CaseIterable {
    case pending
    case delivered
    case failed
}

/// One message to one URL: an event for a subscription, or a Twilio callback.
public struct Delivery: Sendable, Equatable {
    public var sid: SID
    public var accountSid: SID
    /// `nil` for a callback, and once the subscription was deleted.
    public var subscriptionSid: SID?
    /// `nil` for a callback, which carries its own payload.
    public var eventSid: SID?
    public var eventType: String
    public var url: String
    public var method: DeliveryMethod
    public var format: DeliveryFormat
    public var status: DeliveryStatus
    public var attemptCount: Int
    /// When a pending delivery is due (pushed out by a worker's lease while it is being sent).
    public var nextAttemptAt: Date?
    public var lastResponseCode: Int?
    public var lastError: String?
    public var dateCreated: Date
    public var dateUpdated: Date
    public var dateDelivered: Date?
}

/// One try of a delivery.
public struct DeliveryAttempt: Sendable, Equatable {
    /// 1 for the first attempt, counting on across replays.
    public var number: Int
    public var deliverySid: SID
    public var accountSid: SID
    public var dateStarted: Date
    public var url: String
    /// `nil` when no response arrived.
    public var responseCode: Int?
    public var latencyMilliseconds: Double
    /// The first 1 KB of the response body, as text.
    public var responseBody: String?
    public var error: String?
}

/// Which deliveries a list returns; `nil` fields do not filter.
public struct DeliveryFilter: Sendable, Equatable {
    public var status: DeliveryStatus?
    public var eventType: String?
    public var url: String?
    public var subscriptionSid: SID?
    public var eventSid: SID?
    /// Created at or after this instant.
    public var createdAfter: Date?
    /// Created before this instant.
    public var createdBefore: Date?

    public init(
        status: DeliveryStatus? = nil, eventType: String? = nil, url: String? = nil, subscriptionSid: SID? = nil, eventSid: SID? = nil,
        createdAfter: Date? = nil, createdBefore: Date? = nil
    ) {
        self.status = status
        self.eventType = eventType
        self.url = url
        self.subscriptionSid = subscriptionSid
        self.eventSid = eventSid
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
    }
}

/// Reads deliveries and their attempts, and replays deliveries; every call is scoped by the owning account.
/// Claiming and sending are the dispatcher's.
public struct DeliveryRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    private static let columns = """
        sid, account_sid, subscription_sid, event_sid, event_type, url, method, format, status, attempt_count,
        next_attempt_at, last_response_code, last_error, date_created, date_updated, date_delivered, seq
        """
    private typealias Row = (
        String, String, String?, String?, String, String, String, String, String, Int32, Date?, Int32?, String?, Date, Date, Date?, Int64
    )

    public func find(_ sid: SID, account: SID, logger: Logger) async throws -> Delivery? {
        let rows = try await database.query(
            "SELECT \(unescaped: Self.columns) FROM deliveries WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)",
            logger: logger)
        return try rows.first.map(decode)?.item
    }

    /// The account's deliveries matching `filter`, oldest first, one page at a time.
    public func list(account: SID, filter: DeliveryFilter, cursor: PageCursor, pageSize: Int, logger: Logger) async throws -> Page<Delivery> {
        let bounds = cursor.bounds
        let status = filter.status?.rawValue
        let subscription = filter.subscriptionSid?.rawValue
        let event = filter.eventSid?.rawValue
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns) FROM deliveries
            WHERE account_sid = \(account.rawValue)
              AND (\(status)::text IS NULL OR status = \(status))
              AND (\(filter.eventType)::text IS NULL OR event_type = \(filter.eventType))
              AND (\(filter.url)::text IS NULL OR url = \(filter.url))
              AND (\(subscription)::text IS NULL OR subscription_sid = \(subscription))
              AND (\(event)::text IS NULL OR event_sid = \(event))
              AND (\(filter.createdAfter)::timestamptz IS NULL OR date_created >= \(filter.createdAfter))
              AND (\(filter.createdBefore)::timestamptz IS NULL OR date_created < \(filter.createdBefore))
              AND seq > \(bounds.after) AND seq < \(bounds.before)
            ORDER BY seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(decode), pageSize: pageSize, cursor: cursor)
    }

    /// The attempts of the account's delivery `delivery`, in order, paged by attempt number.
    public func attempts(of delivery: SID, account: SID, cursor: PageCursor, pageSize: Int, logger: Logger) async throws -> Page<DeliveryAttempt> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT number, delivery_sid, account_sid, started_at, url, response_code, latency_ms, response_excerpt, error
            FROM delivery_attempts
            WHERE delivery_sid = \(delivery.rawValue) AND account_sid = \(account.rawValue)
              AND number > \(bounds.after) AND number < \(bounds.before)
            ORDER BY number \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(decodeAttempt), pageSize: pageSize, cursor: cursor)
    }

    /// Sends a delivery again: `pending`, due now, with a fresh retry schedule (its attempts keep counting).
    /// Call ``EventOutbox/committed()`` afterwards to wake the dispatchers.
    /// - Returns: the delivery, or `nil` when the account has no such delivery.
    /// - Throws: ``APIError`` 400 when the delivery's subscription was deleted (a callback, which has no
    ///   subscription, can always be replayed).
    public func replay(_ sid: SID, account: SID, logger: Logger) async throws -> Delivery? {
        let rows = try await database.query(
            """
            UPDATE deliveries SET status = 'pending', next_attempt_at = clock_timestamp(), schedule_start = attempt_count,
                last_error = NULL, date_updated = clock_timestamp()
            WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)
              AND (subscription_sid IS NOT NULL OR event_sid IS NULL)
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)
        if let row = rows.first { return try decode(row).item }
        guard try await find(sid, account: account, logger: logger) != nil else { return nil }
        throw APIError(status: 400, code: 20001, message: "Cannot replay \(sid): the subscription of this delivery was deleted")
    }

    private func decode(_ row: PostgresRow) throws -> (sequence: Int64, item: Delivery) {
        let (
            sid, account, subscription, event, eventType, url, method, format, status, attemptCount, nextAttempt, responseCode,
            lastError, created, updated, delivered, sequence
        ) = try row.decode(Row.self)
        guard let deliverySid = SID(sid), let accountSid = SID(account),
            let deliveryMethod = DeliveryMethod(rawValue: method), let deliveryFormat = DeliveryFormat(rawValue: format),
            let deliveryStatus = DeliveryStatus(rawValue: status)
        else { throw CorruptRowError(table: "deliveries", key: sid) }
        let delivery = Delivery(
            sid: deliverySid, accountSid: accountSid, subscriptionSid: subscription.flatMap { SID($0) }, eventSid: event.flatMap { SID($0) },
            eventType: eventType, url: url, method: deliveryMethod, format: deliveryFormat, status: deliveryStatus,
            attemptCount: Int(attemptCount), nextAttemptAt: nextAttempt, lastResponseCode: responseCode.map(Int.init), lastError: lastError,
            dateCreated: created, dateUpdated: updated, dateDelivered: delivered)
        return (sequence, delivery)
    }

    private func decodeAttempt(_ row: PostgresRow) throws -> (sequence: Int64, item: DeliveryAttempt) {
        let (number, delivery, account, started, url, responseCode, latency, excerpt, error) =
            try row.decode((Int32, String, String, Date, String, Int32?, Double, ByteBuffer?, String?).self)
        guard let deliverySid = SID(delivery), let accountSid = SID(account) else {
            throw CorruptRowError(table: "delivery_attempts", key: "\(delivery) #\(number)")
        }
        let attempt = DeliveryAttempt(
            number: Int(number), deliverySid: deliverySid, accountSid: accountSid, dateStarted: started, url: url,
            responseCode: responseCode.map(Int.init), latencyMilliseconds: latency,
            responseBody: excerpt.map { String(decoding: $0.readableBytesView, as: UTF8.self) }, error: error)
        return (Int64(number), attempt)
    }
}
