import Foundation

/// Runs short-lived helper programs (`initdb`, `pg_ctl`) and collects what they print.
enum ProcessRunner {
    struct Completion {
        var status: Int32
        var output: String
    }

    /// Runs `executable` with `arguments`, optionally as another user (via `setpriv`, which execs in
    /// place, so signals reach the program itself), and waits for it.
    ///
    /// Output (stdout and stderr) goes to a temporary file rather than a pipe, and the child is reaped
    /// with `waitpid`: a daemon the program starts (`pg_ctl start`) inherits neither a pipe nor any
    /// descriptor whose closing we would wait for. (Foundation's `Process` waits for such a
    /// descriptor, so it never notices `pg_ctl` exit while the postmaster lives.)
    static func run(_ executable: String, _ arguments: [String], asUser user: SystemUser? = nil) async throws -> Completion {
        try await withCheckedThrowingContinuation { continuation in
            // waitpid blocks: keep it off the cooperative thread pool.
            Thread.detachNewThread {
                continuation.resume(with: Result { try runBlocking(executable, arguments, asUser: user) })
            }
        }
    }

    /// The blocking form of ``run(_:_:asUser:)``, for places that must not suspend (process exit).
    static func runBlocking(_ executable: String, _ arguments: [String], asUser user: SystemUser? = nil) throws -> Completion {
        let argv =
            user.map { ["/usr/bin/setpriv", "--reuid=\($0.uid)", "--regid=\($0.gid)", "--init-groups", executable] + arguments }
            ?? [executable] + arguments
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("parley-\(RandomToken.hex(byteCount: 6)).out").path
        defer { unlink(outputPath) }
        let pid = try spawn(argv, outputPath: outputPath)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // Exit code when the child exited normally, otherwise 128 + signal, as shells report it.
        let exited = status & 0x7f == 0
        return Completion(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output: output)
    }

    private static func spawn(_ argv: [String], outputPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard result == 0 else {
            throw EmbeddedPostgresError.failed("cannot start \(argv[0]): \(String(cString: strerror(result)))")
        }
        return pid
    }
}

/// A local user account that owns a subprocess and its files.
struct SystemUser: Sendable {
    var name: String
    var uid: uid_t
    var gid: gid_t

    /// Looks `name` up in the password database.
    static func named(_ name: String) -> SystemUser? {
        guard let entry = getpwnam(name) else { return nil }
        return SystemUser(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// Makes `url` owned by this user.
    func take(_ url: URL) throws {
        guard chown(url.path, uid, gid) == 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
    }
}
