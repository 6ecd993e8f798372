import Foundation
import Logging
import PostgresNIO

/// An API key: a second credential for an account, usable as `KeySid:Secret` in HTTP Basic.
public struct APIKey: Sendable, Equatable {
    public var sid: SID
    public var accountSid: SID
    public var friendlyName: String?
    public var dateCreated: Date
    public var dateUpdated: Date
}

/// Reads and writes API keys; every call is scoped by the owning account.
public struct APIKeyRepository: Sendable {
    let database: Database
    let secrets: SecretBox

    public init(database: Database, secrets: SecretBox) {
        self.database = database
        self.secrets = secrets
    }

    private static let columns = "sid, account_sid, friendly_name, date_created, date_updated, seq"
    private typealias Row = (String, String, String?, Date, Date, Int64)

    /// Creates a key; the secret is returned here and never again.
    public func create(account: SID, friendlyName: String?, logger: Logger) async throws -> (key: APIKey, secret: String) {
        let sid = SID.generate(.apiKey)
        let secret = RandomToken.alphanumeric(length: 32)
        let sealed = try secrets.seal(secret, context: sid.rawValue)
        let rows = try await database.query(
            """
            INSERT INTO api_keys (sid, account_sid, friendly_name, secret)
            VALUES (\(sid.rawValue), \(account.rawValue), \(friendlyName), \(sealed))
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)
        return (try decode(rows[0]).item, secret)
    }

    public func find(_ sid: SID, account: SID, logger: Logger) async throws -> APIKey? {
        let rows = try await database.query(
            "SELECT \(unescaped: Self.columns) FROM api_keys WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)",
            logger: logger)
        return try rows.first.map(decode)?.item
    }

    public func list(account: SID, cursor: PageCursor, pageSize: Int, logger: Logger) async throws -> Page<APIKey> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns) FROM api_keys
            WHERE account_sid = \(account.rawValue) AND seq > \(bounds.after) AND seq < \(bounds.before)
            ORDER BY seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(decode), pageSize: pageSize, cursor: cursor)
    }

    /// Renames a key; `nil` when the account has no such key.
    public func update(_ sid: SID, account: SID, friendlyName: String?, logger: Logger) async throws -> APIKey? {
        let rows = try await database.query(
            """
            UPDATE api_keys SET friendly_name = coalesce(\(friendlyName), friendly_name), date_updated = now()
            WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)
        return try rows.first.map(decode)?.item
    }

    /// Deletes a key; `false` when the account has no such key.
    public func delete(_ sid: SID, account: SID, logger: Logger) async throws -> Bool {
        let rows = try await database.query(
            "DELETE FROM api_keys WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue) RETURNING sid",
            logger: logger)
        return !rows.isEmpty
    }

    private func decode(_ row: PostgresRow) throws -> (sequence: Int64, item: APIKey) {
        let (sid, account, friendlyName, created, updated, sequence) = try row.decode(Row.self)
        guard let keySid = SID(sid), let accountSid = SID(account) else { throw CorruptRowError(table: "api_keys", key: sid) }
        return (sequence, APIKey(sid: keySid, accountSid: accountSid, friendlyName: friendlyName, dateCreated: created, dateUpdated: updated))
    }
}
