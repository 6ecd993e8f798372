import Foundation
import Logging
import Platform
import PostgresNIO

/// Throwaway PostgreSQL for tests: one embedded cluster per test process (fsync off), a template
/// database migrated once, and a fresh copy of it for every test.
public enum TestDatabase {
    public static let logger: Logger = {
        var logger = Logger(label: "parley.tests")
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }()

    static let templateName = "parley_template"

    /// The shared cluster, started on first use and stopped when the test process exits.
    public static let cluster: Task<EmbeddedPostgres, any Error> = Task {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("parley-tests-\(getpid())-\(RandomToken.hex(byteCount: 3))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let runtime = try await DatabaseRuntime.prepare(databaseURL: nil, dataDirectory: directory, durable: false, logger: logger)
        let cluster = runtime.embedded!
        TestClusterCleanup.register(cluster, directory: directory)
        try await runtime.createDatabaseIfMissing(templateName, logger: logger)
        _ = try await Database.withTemporaryPool(endpoint: cluster.endpoint(database: templateName), logger: logger) { database in
            try await Migrator().migrate(database, logger: logger)
        }
        return cluster
    }

    /// Runs `body` with a pool on a new, migrated database of its own, dropped afterwards.
    public static func withFresh<Result: Sendable>(_ body: @Sendable (Database) async throws -> Result) async throws -> Result {
        let endpoint = try await freshEndpoint()
        let result = try await Database.withTemporaryPool(endpoint: endpoint, logger: logger, body)
        try? await drop(endpoint.database)
        return result
    }

    /// A new migrated database's endpoint; the caller owns it (it goes when the cluster does).
    public static func freshEndpoint() async throws -> DatabaseEndpoint {
        let cluster = try await cluster.value
        let name = "t_" + RandomToken.hex(byteCount: 8)
        try await maintenance(cluster) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) TEMPLATE \(templateName)"), logger: logger)
        }
        return cluster.endpoint(database: name)
    }

    static func drop(_ name: String) async throws {
        try await maintenance(try await cluster.value) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }

    private static func maintenance(_ cluster: EmbeddedPostgres, _ body: (PostgresConnection) async throws -> Void) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try cluster.endpoint(database: "postgres").connectionConfiguration(), id: 0, logger: logger)
        do {
            try await body(connection)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// Stops the shared cluster and removes its files when the test process exits.
enum TestClusterCleanup {
    nonisolated(unsafe) static var registered: (EmbeddedPostgres, URL)?

    static func register(_ cluster: EmbeddedPostgres, directory: URL) {
        registered = (cluster, directory)
        atexit {
            guard let (cluster, directory) = TestClusterCleanup.registered else { return }
            cluster.stopImmediately()
            try? FileManager.default.removeItem(at: directory)
        }
    }
}
