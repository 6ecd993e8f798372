import Foundation
import Logging
import PostgresNIO

/// Remembers POST responses by `Idempotency-Key` for 24 hours so a retried request is answered
/// with the original response instead of being executed twice.
///
/// A key is first *reserved* (state `pending`, with a lease), the request runs, then the response is
/// stored (`complete`). A reservation whose process died is taken over once its lease expires; each
/// reservation has its own holder token, so a slow previous holder can neither complete nor release
/// the reservation that replaced its own.
public struct IdempotencyStore: Sendable {
    public static let retention: Duration = .seconds(24 * 3600)
    /// How long a reservation blocks duplicates before another request may take it over.
    public static let lease: Duration = .seconds(60)

    public struct StoredResponse: Sendable, Equatable {
        public var status: Int
        public var contentType: String?
        public var body: Data

        public init(status: Int, contentType: String?, body: Data) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    /// Proof of holding a reservation.
    public struct Holder: Sendable, Equatable {
        public let account: SID
        public let key: String
        let token: String
    }

    public enum Reservation: Sendable, Equatable {
        /// Go ahead; call ``complete(_:response:logger:)`` or ``release(_:logger:)`` after.
        case reserved(Holder)
        /// Same key and parameters already answered: send this.
        case replay(StoredResponse)
        /// Same key, different parameters.
        case mismatch
        /// Same key still being processed.
        case inFlight
    }

    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func reserve(account: SID, key: String, fingerprint: Data, logger: Logger) async throws -> Reservation {
        let retentionSeconds = Int(Self.retention.components.seconds)
        let leaseSeconds = Int(Self.lease.components.seconds)
        let holder = Holder(account: account, key: key, token: RandomToken.hex(byteCount: 16))
        let claimed = try await database.query(
            """
            INSERT INTO idempotency_keys (account_sid, key, fingerprint, state, holder, lease_expires_at)
            VALUES (\(account.rawValue), \(key), \(fingerprint), 'pending', \(holder.token),
                    now() + make_interval(secs => \(leaseSeconds)))
            ON CONFLICT (account_sid, key) DO UPDATE SET
                fingerprint = EXCLUDED.fingerprint, state = 'pending', holder = EXCLUDED.holder, created_at = now(),
                lease_expires_at = EXCLUDED.lease_expires_at,
                response_status = NULL, response_content_type = NULL, response_body = NULL
            WHERE idempotency_keys.created_at < now() - make_interval(secs => \(retentionSeconds))
               OR (idempotency_keys.state = 'pending' AND idempotency_keys.lease_expires_at < now())
            RETURNING 1
            """, logger: logger)
        if !claimed.isEmpty { return .reserved(holder) }
        let rows = try await database.query(
            """
            SELECT fingerprint, state, response_status, response_content_type, response_body
            FROM idempotency_keys WHERE account_sid = \(account.rawValue) AND key = \(key)
            """, logger: logger)
        // Released between our two statements: try again.
        guard let row = rows.first else { return try await reserve(account: account, key: key, fingerprint: fingerprint, logger: logger) }
        let (storedFingerprint, state, status, contentType, body) = try row.decode((Data, String, Int?, String?, Data?).self)
        guard storedFingerprint == fingerprint else { return .mismatch }
        guard state == "complete", let status, let body else { return .inFlight }
        return .replay(StoredResponse(status: status, contentType: contentType, body: body))
    }

    /// Stores the response for a reservation this holder still holds.
    public func complete(_ holder: Holder, response: StoredResponse, logger: Logger) async throws {
        try await database.query(
            """
            UPDATE idempotency_keys SET state = 'complete', response_status = \(response.status),
                response_content_type = \(response.contentType), response_body = \(response.body)
            WHERE account_sid = \(holder.account.rawValue) AND key = \(holder.key)
              AND state = 'pending' AND holder = \(holder.token)
            """, logger: logger)
    }

    /// Drops a reservation whose request failed, so nothing of it remains and a retry runs afresh.
    public func release(_ holder: Holder, logger: Logger) async throws {
        try await database.query(
            """
            DELETE FROM idempotency_keys
            WHERE account_sid = \(holder.account.rawValue) AND key = \(holder.key) AND state = 'pending' AND holder = \(holder.token)
            """, logger: logger)
    }

    /// Deletes responses older than the retention period.
    public func purgeExpired(logger: Logger) async throws {
        let retentionSeconds = Int(Self.retention.components.seconds)
        try await database.query(
            "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => \(retentionSeconds))",
            logger: logger)
    }
}
