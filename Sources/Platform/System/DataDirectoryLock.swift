import Foundation

/// An exclusive lock on a data directory, held for the life of the process: two `parley serve`
/// processes must not share one embedded cluster (the second would stop it under the first).
/// The kernel releases it when the process dies, however it dies.
public final class DataDirectoryLock: Sendable {
    private let descriptor: Int32

    /// Takes `<directory>/serve.lock` or throws if another process holds it.
    public init(directory: URL) throws {
        let path = directory.appendingPathComponent("serve.lock").path
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DataDirectoryLockError.unavailable(path, String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw DataDirectoryLockError.held(directory.path)
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}

public enum DataDirectoryLockError: Error, CustomStringConvertible {
    case unavailable(String, String)
    case held(String)

    public var description: String {
        switch self {
        case .unavailable(let path, let reason): "cannot open \(path): \(reason)"
        case .held(let directory): "another parley serve is already using the data directory \(directory)"
        }
    }
}
