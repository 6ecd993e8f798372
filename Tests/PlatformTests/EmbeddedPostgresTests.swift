import Foundation
import Platform
import PostgresNIO
import TestSupport
import Testing

@Suite struct EmbeddedPostgresTests {
    let logger = TestDatabase.logger

    /// A cluster in a temporary directory of its own, stopped and removed afterwards whatever happens.
    func withCluster(durable: Bool, _ body: (EmbeddedPostgres, URL) async throws -> Void) async throws {
        try await withTemporaryDirectory { root in
            // As root the cluster runs as `postgres`, which must be able to walk into the directory.
            try FileManager.default.setAttributes([.posixPermissions: 0o711], ofItemAtPath: root.path)
            let cluster = EmbeddedPostgres(directory: root.appendingPathComponent("pg"), durable: durable)
            defer { cluster.stopImmediately() }
            try await body(cluster, root.appendingPathComponent("pg"))
        }
    }

    /// The postmaster's PID: the first line of `data/postmaster.pid`.
    static func postmasterPID(_ directory: URL) throws -> pid_t {
        let text = try String(contentsOf: directory.appendingPathComponent("data/postmaster.pid"), encoding: .utf8)
        return try #require(text.split(separator: "\n").first.flatMap { pid_t($0.trimmingCharacters(in: .whitespaces)) })
    }

    /// Whether `pid` is a live process (not gone, not a zombie).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        // The state follows the parenthesised command name.
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }

    /// PIDs whose parent is `pid`.
    static func children(of pid: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(pid_t.init).filter { child in
            guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == pid
        }
    }

    static func rows(_ cluster: EmbeddedPostgres, _ query: PostgresQuery) async throws -> [String] {
        try await Database.withTemporaryPool(endpoint: cluster.endpoint(database: "postgres"), logger: TestDatabase.logger) { database in
            try await database.query(query, logger: TestDatabase.logger).map { try $0.decode(String.self) }
        }
    }

    @Test func startReuseCrashRecoveryAndStop() async throws {
        try await withCluster(durable: true) { cluster, directory in
            #expect(try await cluster.start(logger: logger) == .started)
            #expect(FileManager.default.fileExists(atPath: cluster.socketPath))
            #expect(try await cluster.start(logger: logger) == .alreadyRunning)

            _ = try await Self.rows(cluster, "CREATE TABLE survivors (name text)")
            _ = try await Self.rows(cluster, "INSERT INTO survivors VALUES ('committed before the crash')")

            let postmaster = try Self.postmasterPID(directory)
            #expect(Self.isAlive(postmaster))
            let helpers = Self.children(of: postmaster)
            #expect(kill(postmaster, SIGKILL) == 0)
            // Wait for the postmaster and its helper processes to go, as after a real crash. The
            // postmaster must also be reaped: `pg_ctl status` takes a zombie for a running server.
            let gone = await eventually(timeout: .seconds(30)) {
                !FileManager.default.fileExists(atPath: "/proc/\(postmaster)") && !helpers.contains(where: Self.isAlive)
            }
            try #require(gone, "postmaster \(postmaster) or its children \(helpers) survived SIGKILL")

            #expect(try await cluster.start(logger: logger) == .started)
            #expect(try Self.postmasterPID(directory) != postmaster)
            #expect(try await Self.rows(cluster, "SELECT name FROM survivors") == ["committed before the crash"])
            let log = try String(contentsOf: directory.appendingPathComponent("postgres.log"), encoding: .utf8)
            #expect(log.contains("automatic recovery in progress"), "the restart did not go through crash recovery")

            try await cluster.stop(logger: logger)
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("data/postmaster.pid").path))
            #expect(!Self.isAlive(postmaster))
            // Stopping a stopped cluster is fine.
            try await cluster.stop(logger: logger)
        }
    }

    @Test func stoppedClusterStartsAgainWithItsData() async throws {
        try await withCluster(durable: false) { cluster, directory in
            #expect(try await cluster.start(logger: logger) == .started)
            _ = try await Self.rows(cluster, "CREATE TABLE kept (name text)")
            _ = try await Self.rows(cluster, "INSERT INTO kept VALUES ('kept')")
            try await cluster.stop(logger: logger)
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("data/postmaster.pid").path))

            // A second value for the same directory (another process) finds the same cluster.
            let again = EmbeddedPostgres(directory: directory, durable: false)
            #expect(try await again.start(logger: logger) == .started)
            #expect(try await cluster.start(logger: logger) == .alreadyRunning)
            #expect(try await Self.rows(again, "SELECT name FROM kept") == ["kept"])
            #expect(again.endpoint() == DatabaseEndpoint(
                address: .unixSocket(path: directory.path + "/run/.s.PGSQL.5432"), username: EmbeddedPostgres.superuser,
                database: EmbeddedPostgres.defaultDatabase))
            try await again.stop(logger: logger)
        }
    }

    @Test func tooLongSocketPathIsRefusedUpFront() async throws {
        try await withTemporaryDirectory { root in
            let deep = root.appendingPathComponent(String(repeating: "d", count: 120))
            let cluster = EmbeddedPostgres(directory: deep)
            await #expect(throws: EmbeddedPostgresError.self) { try await cluster.start(logger: logger) }
            #expect(!FileManager.default.fileExists(atPath: deep.path))
        }
    }
}
