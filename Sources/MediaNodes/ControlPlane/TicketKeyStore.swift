import Logging
import Platform
import Synchronization

/// The ticket key, read from the database on first use and kept (it never changes).
public final class TicketKeyStore: Sendable {
    private let database: Database
    private let cached = Mutex<TicketKey?>(nil)

    public init(database: Database) {
        self.database = database
    }

    public func key(logger: Logger) async throws -> TicketKey {
        if let key = cached.withLock({ $0 }) { return key }
        let key = try await TicketKey.load(from: database, logger: logger)
        cached.withLock { $0 = key }
        return key
    }
}
