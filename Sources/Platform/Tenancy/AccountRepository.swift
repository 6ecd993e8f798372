import Foundation
import Logging
import PostgresNIO

/// Reads and writes accounts. Every read is scoped: a caller sees its own account and, when it is
/// a main account, its subaccounts.
public struct AccountRepository: Sendable {
    let database: Database
    let secrets: SecretBox
    let outbox: EventOutbox

    public init(database: Database, secrets: SecretBox, outbox: EventOutbox) {
        self.database = database
        self.secrets = secrets
        self.outbox = outbox
    }

    private static let columns = "sid, parent_sid, friendly_name, status, auth_token, date_created, date_updated, seq"
    private typealias Row = (String, String?, String, String, Data, Date, Date, Int64)

    /// Creates an account (a subaccount when `parent` is set) with a fresh auth token unless one is given,
    /// and records `account.created`.
    public func create(
        parent: SID?, friendlyName: String, sid: SID = .generate(.account), authToken: String = RandomToken.hex(byteCount: 16),
        logger: Logger
    ) async throws -> Account {
        let sealed = try secrets.seal(authToken, context: sid.rawValue)
        let account = try await database.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO accounts (sid, parent_sid, friendly_name, status, auth_token)
                VALUES (\(sid.rawValue), \(parent?.rawValue), \(friendlyName), 'active', \(sealed))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).collect()
            let account = try decode(rows[0])
            try await outbox.record(EventCatalogue.accountCreated(account), on: connection, logger: logger)
            return account
        }
        outbox.committed()
        return account
    }

    /// The account `sid` if `principal` may see it.
    public func find(_ sid: SID, visibleTo principal: SID, logger: Logger) async throws -> Account? {
        let rows = try await database.execute(FindVisible(parameters: [sid.rawValue, principal.rawValue]), logger: logger)
        return try rows.first.map(decode)
    }

    /// `find`'s query, prepared: it runs on every account fetch.
    private struct FindVisible: TextParameterStatement {
        static let sql = "SELECT \(columns) FROM accounts WHERE sid = $1 AND (sid = $2 OR parent_sid = $2)"
        let parameters: [String]
    }

    /// The accounts `principal` may see, filtered, one page at a time.
    public func list(
        visibleTo principal: SID, friendlyName: String?, status: AccountStatus?, cursor: PageCursor, pageSize: Int, logger: Logger
    ) async throws -> Page<Account> {
        let bounds = cursor.bounds
        let filter: PostgresQuery = """
            SELECT \(unescaped: Self.columns) FROM accounts
            WHERE (sid = \(principal.rawValue) OR parent_sid = \(principal.rawValue))
              AND (\(friendlyName)::text IS NULL OR friendly_name = \(friendlyName))
              AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
              AND seq > \(bounds.after) AND seq < \(bounds.before)
            ORDER BY seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """
        let rows = try await database.query(filter, logger: logger)
        return Page(lookahead: try rows.map(decodeWithSequence), pageSize: pageSize, cursor: cursor)
    }

    /// Changes `sid` if `principal` may see it; `nil` fields are left alone. Returns `nil` when not visible.
    /// Records `account.updated` when a field actually changed.
    public func update(
        _ sid: SID, visibleTo principal: SID, friendlyName: String?, status: AccountStatus?, logger: Logger
    ) async throws -> Account? {
        let (account, changed) = try await database.withTransaction(logger: logger) { connection in
            let current = try await connection.query(
                """
                SELECT friendly_name, status FROM accounts
                WHERE sid = \(sid.rawValue) AND (sid = \(principal.rawValue) OR parent_sid = \(principal.rawValue))
                FOR UPDATE
                """, logger: logger
            ).collect()
            guard let before = try current.first?.decode((String, String).self) else { return (Account?.none, false) }
            let rows = try await connection.query(
                """
                UPDATE accounts SET
                    friendly_name = coalesce(\(friendlyName), friendly_name),
                    status = coalesce(\(status?.rawValue), status),
                    date_updated = now()
                WHERE sid = \(sid.rawValue)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).collect()
            let account = try decode(rows[0])
            let changed = before != (account.friendlyName, account.status.rawValue)
            if changed { try await outbox.record(EventCatalogue.accountUpdated(account), on: connection, logger: logger) }
            return (account, changed)
        }
        if changed { outbox.committed() }
        return account
    }

    /// Whether `principal` may act on `account` (itself or one of its subaccounts).
    public func isVisible(_ account: SID, to principal: SID, logger: Logger) async throws -> Bool {
        if account == principal { return true }
        let rows = try await database.query(
            "SELECT 1 FROM accounts WHERE sid = \(account.rawValue) AND parent_sid = \(principal.rawValue)", logger: logger)
        return !rows.isEmpty
    }

    /// The owner (operator) account: the first account created, which `parley serve` makes on an empty database.
    public func ownerSid(logger: Logger) async throws -> SID? {
        let rows = try await database.query("SELECT sid FROM accounts WHERE parent_sid IS NULL ORDER BY seq LIMIT 1", logger: logger)
        return try rows.first.flatMap { SID(try $0.decode(String.self)) }
    }

    /// Number of accounts in the database.
    public func count(logger: Logger) async throws -> Int {
        let rows = try await database.query("SELECT count(*) FROM accounts", logger: logger)
        return try rows[0].decode(Int.self)
    }

    private func decode(_ row: PostgresRow) throws -> Account {
        try decodeWithSequence(row).item
    }

    private func decodeWithSequence(_ row: PostgresRow) throws -> (sequence: Int64, item: Account) {
        let (sid, parent, friendlyName, status, sealedToken, created, updated, sequence) = try row.decode(Row.self)
        guard let accountSid = SID(sid), let accountStatus = AccountStatus(rawValue: status) else {
            throw CorruptRowError(table: "accounts", key: sid)
        }
        let account = Account(
            sid: accountSid, parentSid: parent.flatMap { SID($0) }, friendlyName: friendlyName, status: accountStatus,
            authToken: try secrets.open(sealedToken, context: sid), dateCreated: created, dateUpdated: updated)
        return (sequence, account)
    }
}

/// A row that violates what the schema promises (it should never happen).
public struct CorruptRowError: Error, CustomStringConvertible {
    public var table: String
    public var key: String
    public var description: String { "corrupt row in \(table): \(key)" }

    public init(table: String, key: String) {
        self.table = table
        self.key = key
    }
}
