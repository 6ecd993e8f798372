import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Receives PostgreSQL `NOTIFY`s on one dedicated connection (a pooled one would be pinned) and
/// hands each payload to the handler registered for its channel.
///
/// PostgreSQL drops notifications sent while nobody listens, so after every (re)connection the
/// `resynchronize` handlers run: they must assume anything may have changed.
public final class NotificationListener: Service, Sendable {
    public typealias Handler = @Sendable (String) async -> Void

    private let endpoint: DatabaseEndpoint
    private let logger: Logger
    private let state = Mutex<(handlers: [String: Handler], resynchronize: [@Sendable () async -> Void])>(([:], []))

    public init(endpoint: DatabaseEndpoint, logger: Logger) {
        self.endpoint = endpoint
        self.logger = logger
    }

    /// Registers `handler` for `channel`; call before ``run()``.
    public func on(_ channel: String, _ handler: @escaping Handler) {
        state.withLock { $0.handlers[channel] = handler }
    }

    /// Registers work to do after every (re)connection.
    public func onResynchronize(_ handler: @escaping @Sendable () async -> Void) {
        state.withLock { $0.resynchronize.append(handler) }
    }

    public func run() async throws {
        let (handlers, resynchronize) = state.withLock { ($0.handlers, $0.resynchronize) }
        guard !handlers.isEmpty else { return }
        var backoff = Duration.milliseconds(100)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let attempt = ContinuousClock.now
            do {
                try await cancelWhenGracefulShutdown {
                    try await self.listen(handlers: handlers) {
                        for handler in resynchronize { await handler() }
                    }
                }
            } catch where !Task.isCancelled && !Task.isShuttingDownGracefully {
                logger.warning("notification listener lost its connection; reconnecting", metadata: ["error": "\(error)"])
                // A connection that held for a while earns a fresh, short backoff.
                if ContinuousClock.now - attempt > .seconds(10) { backoff = .milliseconds(100) }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            } catch {
                return
            }
        }
    }

    private func listen(handlers: [String: Handler], connected: @Sendable () async -> Void) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try endpoint.connectionConfiguration(), id: 1, logger: logger)
        defer { Task { try? await connection.close() } }
        let (listening, announce) = AsyncStream.makeStream(of: Void.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (channel, handler) in handlers {
                group.addTask {
                    defer { announce.finish() }  // never leave the wait below hanging
                    try await connection.listen(on: channel) { notifications in
                        announce.yield()
                        for try await notification in notifications { await handler(notification.payload) }
                    }
                    throw ListenerClosed()
                }
            }
            // Resynchronise only once every channel is listened to, so no change falls in between.
            var pending = handlers.count
            for await _ in listening {
                pending -= 1
                if pending == 0 { break }
            }
            await connected()
            // Any stream ending means the connection is gone: reconnect.
            try await group.next()
        }
    }

    private struct ListenerClosed: Error {}
}
