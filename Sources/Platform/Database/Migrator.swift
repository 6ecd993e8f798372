import Logging
import PostgresNIO

/// One schema change. PostgreSQL's extended protocol runs one statement per query, so a
/// migration is a list of statements, applied together in one transaction.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    public var statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// Applies pending migrations in version order, each in its own transaction, while holding a
/// session advisory lock so gateways starting together take turns instead of racing.
public struct Migrator: Sendable {
    /// Arbitrary constant shared by every Parley process ("parley" in ASCII).
    static let advisoryLockKey: Int64 = 0x70_61_72_6c_65_79
    public let migrations: [Migration]

    public init(migrations: [Migration] = Schema.migrations) {
        precondition(Set(migrations.map(\.version)).count == migrations.count, "duplicate migration versions")
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies what is pending; returns the migrations applied by this call.
    @discardableResult
    public func migrate(_ database: Database, logger: Logger) async throws -> [Migration] {
        try await database.withAdvisoryLock(Self.advisoryLockKey, logger: logger) { connection in
            try await migrate(on: connection, logger: logger)
        }
    }

    private func migrate(on connection: PostgresConnection, logger: Logger) async throws -> [Migration] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        var recorded: [Int: String] = [:]
        for try await (version, name) in try await connection.query(
            "SELECT version, name FROM schema_migrations", logger: logger
        ).decode((Int, String).self) {
            recorded[version] = name
        }
        for (version, name) in recorded {
            guard let known = migrations.first(where: { $0.version == version }) else {
                throw MigrationError.unknownVersion(version, name)
            }
            guard known.name == name else { throw MigrationError.renamed(version, recorded: name, known: known.name) }
        }
        var applied: [Migration] = []
        for migration in migrations where recorded[migration.version] == nil {
            logger.info("applying migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            try await connection.withTransaction(logger: logger) { connection in
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
            }
            applied.append(migration)
        }
        return applied
    }
}

public enum MigrationError: Error, CustomStringConvertible {
    case unknownVersion(Int, String)
    case renamed(Int, recorded: String, known: String)

    public var description: String {
        switch self {
        case .unknownVersion(let version, let name):
            "the database has migration \(version) (\(name)) that this build does not know; run a newer parley"
        case .renamed(let version, let recorded, let known):
            "migration \(version) is recorded as '\(recorded)' but this build calls it '\(known)'"
        }
    }
}
