import Foundation
import Platform
import PostgresNIO
import TestSupport
import Testing

@Suite struct MigratorTests {
    let logger = TestDatabase.logger
    /// Versions of Parley's own schema, applied before the tests' custom migrations.
    static let schema = Schema.migrations.map(\.version)

    /// `(version, name)` rows of `schema_migrations`, by version.
    static func recorded(_ database: Database) async throws -> [(Int, String)] {
        try await database.query("SELECT version, name FROM schema_migrations ORDER BY version", logger: TestDatabase.logger)
            .map { try $0.decode((Int, String).self) }
    }

    static func tableExists(_ name: String, in database: Database) async throws -> Bool {
        try await database.query("SELECT to_regclass(\(name)) IS NOT NULL", logger: TestDatabase.logger)[0].decode(Bool.self)
    }

    @Test func freshTestDatabasesHoldTheSchema() async throws {
        try await TestDatabase.withFresh { (database) async throws in
            #expect(try await Self.recorded(database).map(\.0) == Schema.migrations.map(\.version))
            #expect(try await Migrator().migrate(database, logger: logger).isEmpty)
        }
    }

    @Test func emptyDatabaseGetsTheWholeSchema() async throws {
        try await TestDatabase.withFresh { database in
            try await database.query("DROP SCHEMA public CASCADE", logger: logger)
            try await database.query("CREATE SCHEMA public", logger: logger)
            let applied = try await Migrator().migrate(database, logger: logger)
            #expect(applied.map(\.version) == Schema.migrations.map(\.version))
            for table in ["platform_settings", "accounts", "api_keys", "idempotency_keys"] {
                #expect(try await Self.tableExists(table, in: database), "\(table)")
            }
        }
    }

    @Test func appliesPendingInVersionOrderOnce() async throws {
        try await TestDatabase.withFresh { database in
            // Listed out of order: 1002 needs the table 1001 creates.
            let custom = [
                Migration(version: 1002, name: "fill", statements: ["INSERT INTO ordered (step) VALUES (2)"]),
                Migration(version: 1001, name: "create", statements: [
                    "CREATE TABLE ordered (step integer NOT NULL, seq serial)",
                    "INSERT INTO ordered (step) VALUES (1)",
                ]),
            ]
            let migrator = Migrator(migrations: Schema.migrations + custom)
            #expect(migrator.migrations.map(\.version) == Self.schema + [1001, 1002])
            let applied = try await migrator.migrate(database, logger: logger)
            #expect(applied.map(\.version) == [1001, 1002])
            let steps = try await database.query("SELECT step FROM ordered ORDER BY seq", logger: logger).map { try $0.decode(Int.self) }
            #expect(steps == [1, 2])
            #expect(try await Self.recorded(database).map { "\($0.0):\($0.1)" } == Schema.migrations.map { "\($0.version):\($0.name)" } + ["1001:create", "1002:fill"])

            #expect(try await migrator.migrate(database, logger: logger).isEmpty)
            #expect(try await database.query("SELECT count(*) FROM ordered", logger: logger)[0].decode(Int.self) == 2)
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationExactlyOnce() async throws {
        let endpoint = try await TestDatabase.freshEndpoint()
        let custom = [
            Migration(version: 1001, name: "create", statements: [
                "CREATE TABLE raced (id integer PRIMARY KEY)",
                "SELECT pg_sleep(0.1)",  // widen the window in which a second migrator could race
            ]),
            Migration(version: 1002, name: "insert", statements: ["INSERT INTO raced (id) VALUES (1)"]),
            Migration(version: 1003, name: "more", statements: ["CREATE TABLE raced_too (id integer)", "SELECT pg_sleep(0.05)"]),
        ]
        let migrator = Migrator(migrations: Schema.migrations + custom)
        let logger = logger
        @Sendable func migrateWithOwnPool() async throws -> [Int] {
            try await Database.withTemporaryPool(endpoint: endpoint, logger: logger) { database in
                try await migrator.migrate(database, logger: logger).map(\.version)
            }
        }
        async let first = migrateWithOwnPool()
        async let second = migrateWithOwnPool()
        let (a, b) = try await (first, second)
        #expect((a + b).sorted() == [1001, 1002, 1003], "first applied \(a), second \(b)")

        try await Database.withTemporaryPool(endpoint: endpoint, logger: logger) { (database) async throws in
            #expect(try await Self.recorded(database).map(\.0) == Self.schema + [1001, 1002, 1003])
            #expect(try await database.query("SELECT count(*) FROM raced", logger: logger)[0].decode(Int.self) == 1)
            #expect(try await Self.tableExists("raced_too", in: database))
        }
    }

    @Test func failingMigrationLeavesNoTrace() async throws {
        try await TestDatabase.withFresh { database in
            let good = Migration(version: 1000, name: "good", statements: ["CREATE TABLE before_failure (id integer)"])
            let broken = Migration(version: 1001, name: "broken", statements: [
                "CREATE TABLE half_done (id integer)",
                "INSERT INTO no_such_table VALUES (1)",
            ])
            let later = Migration(version: 1002, name: "later", statements: ["CREATE TABLE after_failure (id integer)"])
            await #expect(throws: (any Error).self) {
                try await Migrator(migrations: Schema.migrations + [good, broken, later]).migrate(database, logger: logger)
            }
            #expect(try await Self.tableExists("before_failure", in: database))
            #expect(try await !Self.tableExists("half_done", in: database))
            #expect(try await !Self.tableExists("after_failure", in: database))
            #expect(try await Self.recorded(database).map(\.0) == Self.schema + [1000])

            // The advisory lock was released: another pool (another session) can migrate, with the fix.
            let fixed = Migration(version: 1001, name: "broken", statements: ["CREATE TABLE half_done (id integer)"])
            let endpoint = database.endpoint
            let applied = try await withTimeout(.seconds(20), "migrating after a failed migration") {
                try await Database.withTemporaryPool(endpoint: endpoint, logger: logger) { other in
                    try await Migrator(migrations: Schema.migrations + [good, fixed, later]).migrate(other, logger: logger).map(\.version)
                }
            }
            #expect(applied == [1001, 1002])
            #expect(try await Self.tableExists("half_done", in: database))
        }
    }

    @Test func databaseWithAMigrationThisBuildDoesNotKnowIsRefused() async throws {
        try await TestDatabase.withFresh { database in
            try await database.query("INSERT INTO schema_migrations (version, name) VALUES (5000, 'from the future')", logger: logger)
            let pending = Migration(version: 1001, name: "pending", statements: ["CREATE TABLE never_created (id integer)"])
            await #expect {
                try await Migrator(migrations: Schema.migrations + [pending]).migrate(database, logger: logger)
            } throws: { error in
                guard case MigrationError.unknownVersion(5000, "from the future") = error else { return false }
                return true
            }
            #expect(try await !Self.tableExists("never_created", in: database))
            // A build that knows no migrations at all refuses a migrated database too.
            await #expect(throws: MigrationError.self) { try await Migrator(migrations: []).migrate(database, logger: logger) }
        }
    }

    @Test func renamedMigrationIsRefused() async throws {
        try await TestDatabase.withFresh { (database) async throws in
            var renamed = Schema.migrations
            renamed[0].name = "tenancy v2"
            let pending = Migration(version: 1001, name: "pending", statements: ["CREATE TABLE never_created (id integer)"])
            await #expect {
                try await Migrator(migrations: renamed + [pending]).migrate(database, logger: logger)
            } throws: { error in
                guard case MigrationError.renamed(1, recorded: "tenancy", known: "tenancy v2") = error else { return false }
                return true
            }
            #expect(try await !Self.tableExists("never_created", in: database))
            #expect(try await Self.recorded(database).map(\.0) == Self.schema)
        }
    }
}
