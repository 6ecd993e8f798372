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
    let outbox: EventOutbox

    public init(database: Database, secrets: SecretBox, outbox: EventOutbox) {
        self.database = database
        self.secrets = secrets
        self.outbox = outbox
    }

    private static let columns = "sid, account_sid, friendly_name, date_created, date_updated, seq"
    private typealias Row = (String, String, String?, Date, Date, Int64)

    /// Creates a key and records `key.created`; the secret is returned here and never again.
    public func create(account: SID, friendlyName: String?, logger: Logger) async throws -> (key: APIKey, secret: String) {
        let sid = SID.generate(.apiKey)
        let secret = RandomToken.alphanumeric(length: 32)
        let sealed = try secrets.seal(secret, context: sid.rawValue)
        let key = try await changing(EventCatalogue.keyCreated, logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO api_keys (sid, account_sid, friendly_name, secret)
                VALUES (\(sid.rawValue), \(account.rawValue), \(friendlyName), \(sealed))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
        }
        return (key!, secret)
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

    /// Renames a key and records `key.updated`; `nil` when the account has no such key.
    public func update(_ sid: SID, account: SID, friendlyName: String?, logger: Logger) async throws -> APIKey? {
        try await changing(EventCatalogue.keyUpdated, logger: logger) { connection in
            try await connection.query(
                """
                UPDATE api_keys SET friendly_name = coalesce(\(friendlyName), friendly_name), date_updated = now()
                WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
        }
    }

    /// Deletes a key and records `key.deleted`; `false` when the account has no such key.
    public func delete(_ sid: SID, account: SID, logger: Logger) async throws -> Bool {
        try await changing(EventCatalogue.keyDeleted, logger: logger) { connection in
            try await connection.query(
                """
                DELETE FROM api_keys WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
        } != nil
    }

    /// Runs `change` (a statement returning the key's columns) and records `event` of the key it returns,
    /// in one transaction. `nil` when the statement touched no key.
    private func changing(
        _ event: @Sendable (APIKey) -> Event, logger: Logger,
        _ change: @Sendable (PostgresConnection) async throws -> PostgresRowSequence
    ) async throws -> APIKey? {
        let key = try await database.withTransaction(logger: logger) { connection -> APIKey? in
            guard let row = try await change(connection).collect().first else { return nil }
            let key = try decode(row).item
            try await outbox.record(event(key), on: connection, logger: logger)
            return key
        }
        if key != nil { outbox.committed() }
        return key
    }

    private func decode(_ row: PostgresRow) throws -> (sequence: Int64, item: APIKey) {
        let (sid, account, friendlyName, created, updated, sequence) = try row.decode(Row.self)
        guard let keySid = SID(sid), let accountSid = SID(account) else { throw CorruptRowError(table: "api_keys", key: sid) }
        return (sequence, APIKey(sid: keySid, accountSid: accountSid, friendlyName: friendlyName, dateCreated: created, dateUpdated: updated))
    }
}
