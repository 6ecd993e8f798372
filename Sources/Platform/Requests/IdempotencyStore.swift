import Foundation
import Logging
import PostgresNIO

/// Remembers POST responses by `Idempotency-Key` for 24 hours so a retried request is answered
/// with the original response instead of being executed twice.
///
/// A key is first *reserved* (state `pending`, with a lease), the request runs, then the response is
/// stored (`complete`). A reservation whose process died is taken over once its lease expires.
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

    public enum Reservation: Sendable, Equatable {
        /// Go ahead; call ``complete(account:key:response:logger:)`` or ``release(account:key:logger:)`` after.
        case reserved
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
        let claimed = try await database.query(
            """
            INSERT INTO idempotency_keys (account_sid, key, fingerprint, state, lease_expires_at)
            VALUES (\(account.rawValue), \(key), \(fingerprint), 'pending', now() + make_interval(secs => \(leaseSeconds)))
            ON CONFLICT (account_sid, key) DO UPDATE SET
                fingerprint = EXCLUDED.fingerprint, state = 'pending', created_at = now(),
                lease_expires_at = EXCLUDED.lease_expires_at,
                response_status = NULL, response_content_type = NULL, response_body = NULL
            WHERE idempotency_keys.created_at < now() - make_interval(secs => \(retentionSeconds))
               OR (idempotency_keys.state = 'pending' AND idempotency_keys.lease_expires_at < now())
            RETURNING 1
            """, logger: logger)
        if !claimed.isEmpty { return .reserved }
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

    /// Stores the response for a reserved key.
    public func complete(account: SID, key: String, response: StoredResponse, logger: Logger) async throws {
        try await database.query(
            """
            UPDATE idempotency_keys SET state = 'complete', response_status = \(response.status),
                response_content_type = \(response.contentType), response_body = \(response.body)
            WHERE account_sid = \(account.rawValue) AND key = \(key) AND state = 'pending'
            """, logger: logger)
    }

    /// Drops a reservation whose request failed, so nothing of it remains and a retry runs afresh.
    public func release(account: SID, key: String, logger: Logger) async throws {
        try await database.query(
            "DELETE FROM idempotency_keys WHERE account_sid = \(account.rawValue) AND key = \(key) AND state = 'pending'",
            logger: logger)
    }

    /// Deletes responses older than the retention period.
    public func purgeExpired(logger: Logger) async throws {
        let retentionSeconds = Int(Self.retention.components.seconds)
        try await database.query(
            "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => \(retentionSeconds))",
            logger: logger)
    }
}
