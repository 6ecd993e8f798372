import Foundation
import Logging
import PostgresNIO

/// Decides which PostgreSQL a command uses and brings it up: the server at `--database-url` /
/// `DATABASE_URL`, or the embedded cluster in `<data-dir>/pg`.
public struct DatabaseRuntime: Sendable {
    public let endpoint: DatabaseEndpoint
    /// The embedded cluster, when one is used.
    public let embedded: EmbeddedPostgres?
    /// Whether this process started the embedded cluster (and so should stop it when done).
    public let startedEmbedded: Bool

    /// - Parameters:
    ///   - databaseURL: an external server; `nil` selects the embedded cluster.
    ///   - dataDirectory: `<data-dir>`; the embedded cluster lives in `<data-dir>/pg`.
    public static func prepare(databaseURL: String?, dataDirectory: URL, durable: Bool = true, logger: Logger) async throws -> DatabaseRuntime {
        if let databaseURL, !databaseURL.isEmpty {
            return DatabaseRuntime(endpoint: try DatabaseEndpoint(url: databaseURL), embedded: nil, startedEmbedded: false)
        }
        let cluster = EmbeddedPostgres(directory: dataDirectory.appendingPathComponent("pg"), durable: durable)
        let outcome = try await cluster.start(logger: logger)
        let runtime = DatabaseRuntime(endpoint: cluster.endpoint(), embedded: cluster, startedEmbedded: outcome == .started)
        try await runtime.createDatabaseIfMissing(EmbeddedPostgres.defaultDatabase, logger: logger)
        return runtime
    }

    /// Stops the embedded cluster if `always` or if this process started it.
    public func shutdown(always: Bool, logger: Logger) async {
        guard let embedded, always || startedEmbedded else { return }
        do { try await embedded.stop(logger: logger) } catch {
            logger.error("could not stop embedded PostgreSQL", metadata: ["error": "\(error)"])
        }
    }

    /// Creates `name` on the server (connecting to its `postgres` database) unless it exists.
    public func createDatabaseIfMissing(_ name: String, logger: Logger) async throws {
        let maintenance = try endpoint.with(database: "postgres").connectionConfiguration()
        let connection = try await PostgresConnection.connect(configuration: maintenance, id: 0, logger: logger)
        do {
            let rows = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger).collect()
            if rows.isEmpty {
                let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(quoted)"), logger: logger)
            }
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

extension Database {
    /// Runs `body` with a pool whose background service runs only for the duration of the call
    /// (for one-shot commands such as `parley migrate`).
    public static func withTemporaryPool<Result: Sendable>(
        endpoint: DatabaseEndpoint, logger: Logger, _ body: @Sendable (Database) async throws -> Result
    ) async throws -> Result {
        let database = try Database(endpoint: endpoint, maximumConnections: 4, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.client.run() }
            defer { group.cancelAll() }
            return try await body(database)
        }
    }
}
