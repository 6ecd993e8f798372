import ArgumentParser
import Foundation
import Logging
import Platform

/// Options shared by every command that touches the database.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "Directory for Parley's state: the embedded PostgreSQL, the master key, the owner credentials.")
    var dataDir: String = ".parley"

    @Option(help: "PostgreSQL URL (postgres://user:password@host:port/db). Default: $DATABASE_URL, else the embedded cluster in <data-dir>/pg.")
    var databaseURL: String?

    var dataDirectory: URL { URL(fileURLWithPath: dataDir).standardizedFileURL }

    var resolvedDatabaseURL: String? {
        databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Runs `body` against the selected database, migrated; an embedded cluster started for it is stopped afterwards.
    func withMigratedDatabase<Result: Sendable>(
        logger: Logger, _ body: @Sendable (Database) async throws -> Result
    ) async throws -> Result {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let runtime = try await DatabaseRuntime.prepare(databaseURL: resolvedDatabaseURL, dataDirectory: dataDirectory, logger: logger)
        do {
            let result = try await Database.withTemporaryPool(endpoint: runtime.endpoint, logger: logger) { database in
                try await Migrator().migrate(database, logger: logger)
                return try await body(database)
            }
            await runtime.shutdown(always: false, logger: logger)
            return result
        } catch {
            await runtime.shutdown(always: false, logger: logger)
            throw error
        }
    }
}

/// Logging: JSON lines at `defaultLevel` and up unless `LOG_LEVEL` says otherwise; to stdout for the
/// server, to stderr for one-shot commands (their stdout is their result, e.g. `--json`).
enum CommandLogging {
    static func bootstrap(defaultLevel: Logger.Level, toStandardError: Bool = true) -> Logger {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? defaultLevel
        let descriptor = toStandardError ? STDERR_FILENO : STDOUT_FILENO
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level, descriptor: descriptor) }
        return Logger(label: "parley")
    }
}
