import Logging
import ServiceLifecycle

/// A service that does one round of `work` every `interval` once the database is ready (the schema is migrated), until
/// graceful shutdown. A failed round is logged and the next one comes at its time.
public final class PeriodicService: Service, Sendable {
    let name: String
    let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Void
    private let readiness: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation) = AsyncStream.makeStream()

    /// - Parameter name: what the rounds do, for the log (`conversation timers`).
    public init(name: String, interval: Duration, logger: Logger, work: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.work = work
    }

    /// The schema is migrated: rounds may start.
    public func databaseIsReady() {
        readiness.continuation.finish()
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in self.readiness.stream {}
            while !Task.isCancelled {
                do {
                    try await self.work()
                } catch {
                    self.logger.warning("\(self.name) failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.interval)
            }
        }
    }
}
