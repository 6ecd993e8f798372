import Foundation
import Logging

/// A private PostgreSQL cluster run from the system's binaries, for `parley serve` without a database
/// URL and for tests.
///
/// Layout under ``directory``: `data/` (the cluster), `run/` (the unix socket; TCP is off),
/// `postgres.log`. When Parley runs as root the cluster runs as the `postgres` user (PostgreSQL
/// refuses root), which then owns ``directory``.
///
/// A cluster left running by a process that was killed is found by ``start(logger:)`` and reused;
/// one that was killed itself recovers from its WAL on the next start.
public struct EmbeddedPostgres: Sendable {
    /// The superuser `initdb` creates; connections over the private socket need no password.
    public static let superuser = "parley"
    public static let defaultDatabase = "parley"

    public let directory: URL
    /// `false` trades crash safety for speed (tests): no fsync, no synchronous commit.
    public let durable: Bool

    public init(directory: URL, durable: Bool = true) {
        self.directory = directory.standardizedFileURL
        self.durable = durable
    }

    var dataDirectory: URL { directory.appendingPathComponent("data") }
    var socketDirectory: URL { directory.appendingPathComponent("run") }
    var logFile: URL { directory.appendingPathComponent("postgres.log") }

    /// Path of the socket file the server listens on.
    public var socketPath: String { socketDirectory.path + "/.s.PGSQL.5432" }

    /// How to reach `database` on this cluster.
    public func endpoint(database: String = defaultDatabase) -> DatabaseEndpoint {
        DatabaseEndpoint(address: .unixSocket(path: socketPath), username: Self.superuser, database: database)
    }

    public enum StartOutcome: Sendable {
        /// We started the server.
        case started
        /// A server was already running on this directory (another parley process, or one left behind).
        case alreadyRunning
    }

    /// Creates the cluster if needed and starts it unless it is already running.
    @discardableResult
    public func start(logger: Logger) async throws -> StartOutcome {
        let binaries = try PostgresBinaries.locate()
        let owner = try clusterOwner()
        guard socketPath.utf8.count < 108 else {
            throw EmbeddedPostgresError.failed("socket path \(socketPath) is too long for a unix socket; use a shorter --data-dir")
        }
        try prepareDirectories(owner: owner)
        if !FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) {
            logger.info("creating embedded PostgreSQL cluster", metadata: ["directory": "\(dataDirectory.path)"])
            var arguments = ["-D", dataDirectory.path, "-U", Self.superuser, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-instructions"]
            if !durable { arguments.append("--no-sync") }
            try await check(ProcessRunner.run(binaries.initdb, arguments, asUser: owner), "initdb")
        }
        try writeSettings(owner: owner)
        if try await isRunning(binaries: binaries, owner: owner) {
            if FileManager.default.fileExists(atPath: socketPath) {
                logger.info("embedded PostgreSQL already running; reusing it", metadata: ["directory": "\(dataDirectory.path)"])
                return .alreadyRunning
            }
            // Running with other settings (the data dir was moved): restart with ours.
            try await stop(logger: logger)
        }
        let result = try await ProcessRunner.run(
            binaries.pgCtl, ["-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "120", "start"], asUser: owner)
        try check(result, "pg_ctl start", includeLog: true)
        logger.info("embedded PostgreSQL started", metadata: ["socket": "\(socketPath)"])
        return .started
    }

    /// Stops the server (fast shutdown: clients are disconnected, data is flushed).
    public func stop(logger: Logger) async throws {
        let binaries = try PostgresBinaries.locate()
        let owner = try clusterOwner()
        guard try await isRunning(binaries: binaries, owner: owner) else { return }
        let result = try await ProcessRunner.run(
            binaries.pgCtl, ["-D", dataDirectory.path, "-m", "fast", "-w", "-t", "60", "stop"], asUser: owner)
        try check(result, "pg_ctl stop")
        logger.info("embedded PostgreSQL stopped", metadata: ["directory": "\(dataDirectory.path)"])
    }

    /// Stops the server at once, without waiting for clients (for test clusters at process exit;
    /// the next start recovers from the WAL).
    public func stopImmediately() {
        guard let binaries = try? PostgresBinaries.locate(), let owner = try? clusterOwner() else { return }
        _ = try? ProcessRunner.runBlocking(binaries.pgCtl, ["-D", dataDirectory.path, "-m", "immediate", "-w", "stop"], asUser: owner)
    }

    private func isRunning(binaries: PostgresBinaries, owner: SystemUser?) async throws -> Bool {
        guard FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) else { return false }
        try removeLockFileOfZombie()
        return try await ProcessRunner.run(binaries.pgCtl, ["-D", dataDirectory.path, "status"], asUser: owner).status == 0
    }

    /// A postmaster killed where nobody reaps orphans (PID 1 of many containers) stays a zombie:
    /// `kill(pid, 0)` still succeeds, so `pg_ctl` and PostgreSQL itself would take it for a running
    /// server forever. A zombie holds no files or memory, so its lock files (data directory and
    /// socket) are stale: remove them.
    private func removeLockFileOfZombie() throws {
        let lockFiles = [dataDirectory.appendingPathComponent("postmaster.pid"), URL(fileURLWithPath: socketPath + ".lock")]
        for lockFile in lockFiles {
            guard let contents = try? String(contentsOf: lockFile, encoding: .utf8),
                let pid = contents.split(separator: "\n").first.flatMap({ Int32($0.trimmingCharacters(in: .whitespaces)) }),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let state = stat.split(separator: ")").last?.split(separator: " ").first,
                state == "Z"
            else { continue }
            try FileManager.default.removeItem(at: lockFile)
        }
    }

    /// PostgreSQL will not run as root; as root we hand the cluster to the `postgres` user.
    private func clusterOwner() throws -> SystemUser? {
        guard geteuid() == 0 else { return nil }
        let name = ProcessInfo.processInfo.environment["PARLEY_PG_USER"] ?? "postgres"
        guard let user = SystemUser.named(name) else {
            throw EmbeddedPostgresError.failed("running as root needs a '\(name)' user to own the embedded PostgreSQL (install postgresql)")
        }
        return user
    }

    private func prepareDirectories(owner: SystemUser?) throws {
        let files = FileManager.default
        let parent = directory.deletingLastPathComponent()
        try files.createDirectory(at: parent, withIntermediateDirectories: true)
        try files.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try files.createDirectory(at: socketDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard let owner else { return }
        // The cluster owner must be able to walk into the data dir; it needs search permission only.
        let mode = (try files.attributesOfItem(atPath: parent.path)[.posixPermissions] as? Int) ?? 0o700
        if mode & 0o001 == 0 { try files.setAttributes([.posixPermissions: mode | 0o011], ofItemAtPath: parent.path) }
        try owner.take(directory)
        try owner.take(socketDirectory)
    }

    /// Our settings live in `parley.conf`, included from `postgresql.conf` and rewritten on every start.
    private func writeSettings(owner: SystemUser?) throws {
        let quotedSocketDirectory = socketDirectory.path.replacingOccurrences(of: "'", with: "''")
        let flag = durable ? "on" : "off"
        let settings = """
            # Written by parley on every start; edit postgresql.conf for your own settings.
            listen_addresses = ''
            unix_socket_directories = '\(quotedSocketDirectory)'
            unix_socket_permissions = 0700
            max_connections = 200
            fsync = \(flag)
            synchronous_commit = \(flag)
            full_page_writes = \(flag)

            """
        let settingsFile = dataDirectory.appendingPathComponent("parley.conf")
        try settings.write(to: settingsFile, atomically: true, encoding: .utf8)
        try owner?.take(settingsFile)
        let mainFile = dataDirectory.appendingPathComponent("postgresql.conf")
        let include = "include_if_exists = 'parley.conf'"
        let main = try String(contentsOf: mainFile, encoding: .utf8)
        if !main.contains(include) {
            try (main + "\n" + include + "\n").write(to: mainFile, atomically: true, encoding: .utf8)
            try owner?.take(mainFile)
        }
    }

    private func check(_ result: ProcessRunner.Completion, _ what: String, includeLog: Bool = false) throws {
        guard result.status != 0 else { return }
        var message = "\(what) failed (exit \(result.status)): \(result.output)"
        if includeLog, let log = try? String(contentsOf: logFile, encoding: .utf8) {
            message += "\n--- \(logFile.path) (tail) ---\n" + log.split(separator: "\n").suffix(20).joined(separator: "\n")
        }
        throw EmbeddedPostgresError.failed(message)
    }
}

public enum EmbeddedPostgresError: Error, CustomStringConvertible {
    case failed(String)
    public var description: String {
        switch self { case .failed(let message): "embedded PostgreSQL: \(message)" }
    }
}

/// Where the system's PostgreSQL server programs are.
struct PostgresBinaries {
    var initdb: String
    var pgCtl: String

    /// `PARLEY_PG_BINDIR`, then `pg_config --bindir`, then Debian's `/usr/lib/postgresql/<newest>/bin`.
    static func locate() throws -> PostgresBinaries {
        var candidates: [String] = []
        if let configured = ProcessInfo.processInfo.environment["PARLEY_PG_BINDIR"] { candidates.append(configured) }
        if let fromPgConfig = pgConfigBindir() { candidates.append(fromPgConfig) }
        let debianRoot = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: debianRoot)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        candidates += versions.map { "\(debianRoot)/\($0)/bin" }
        for directory in candidates where FileManager.default.isExecutableFile(atPath: directory + "/initdb") {
            return PostgresBinaries(initdb: directory + "/initdb", pgCtl: directory + "/pg_ctl")
        }
        throw EmbeddedPostgresError.failed(
            "no PostgreSQL server binaries found (looked in \(candidates)); install postgresql or pass --database-url")
    }

    private static func pgConfigBindir() -> String? {
        for path in ["/usr/bin/pg_config", "/usr/local/bin/pg_config"] where FileManager.default.isExecutableFile(atPath: path) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["--bindir"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { continue }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if process.terminationStatus == 0, !text.isEmpty { return text }
        }
        return nil
    }
}
