import Foundation
import Hummingbird
import Logging
import MediaNodes
import Messaging
import Platform
import Prometheus
import ServiceLifecycle

/// `parley serve`: brings up PostgreSQL (embedded or external), migrates, creates the owner account
/// on an empty database, and runs the gateway until SIGTERM/SIGINT, then shuts everything down in
/// reverse order, the embedded PostgreSQL last.
public enum GatewayServer {
    public struct Options: Sendable {
        public var gateway: GatewayConfiguration
        public var dataDirectory: URL
        public var databaseURL: String?
        /// Most connections the pool opens.
        public var databasePoolSize: Int
        /// This process's webhook delivery workers.
        public var delivery: DeliveryDispatcher.Configuration
        /// The media node run inside this process; `nil` runs none (`--no-media`).
        public var mediaNode: MediaNodeConfiguration?
        public var environment: [String: String]

        public init(
            gateway: GatewayConfiguration, dataDirectory: URL, databaseURL: String?, databasePoolSize: Int,
            delivery: DeliveryDispatcher.Configuration = .init(), mediaNode: MediaNodeConfiguration? = nil,
            environment: [String: String]
        ) {
            self.gateway = gateway
            self.dataDirectory = dataDirectory
            self.databaseURL = databaseURL
            self.databasePoolSize = databasePoolSize
            self.delivery = delivery
            self.mediaNode = mediaNode
            self.environment = environment
        }
    }

    public static func run(_ options: Options, metrics: PrometheusCollectorRegistry, logger: Logger) async throws {
        _ = try OwnerAccount.configuredCredentials(options.environment)  // fail before starting anything
        try FileManager.default.createDirectory(at: options.dataDirectory, withIntermediateDirectories: true)
        let lock = options.databaseURL == nil ? try DataDirectoryLock(directory: options.dataDirectory) : nil
        let runtime = try await DatabaseRuntime.prepare(
            databaseURL: options.databaseURL, dataDirectory: options.dataDirectory, logger: logger)
        do {
            let secrets = try MasterKey.load(environment: options.environment, dataDirectory: options.dataDirectory)
            let database = try Database(endpoint: runtime.endpoint, maximumConnections: options.databasePoolSize, logger: logger)
            let services = try GatewayServices(configuration: options.gateway, database: database, secrets: secrets, metrics: metrics)
            let listener = NotificationListener(endpoint: runtime.endpoint, logger: logger)
            services.verifier.listen(with: listener)
            services.conversationFanout.listen(with: listener, hub: services.conversations.hub)
            let dispatcher = DeliveryDispatcher(
                configuration: options.delivery, database: database, secrets: secrets, client: services.egress,
                signal: services.outbox.signal, logger: logger)
            dispatcher.listen(with: listener)
            let mediaNode = options.mediaNode.map {
                MediaNodeService(
                    configuration: $0, database: database, endpoint: runtime.endpoint, listener: listener, metrics: metrics, logger: logger)
            }
            let sweeper = ControlPlaneSweeper(database: database, outbox: services.outbox, placement: services.placement, logger: logger)

            let conversationTimers = PeriodicService(name: "conversation timers", interval: .seconds(5), logger: logger) {
                [conversations = services.conversations] in try await conversations.applyTimers(logger: logger)
            }
            let flowSweeper = PeriodicService(name: "flow sweep", interval: .milliseconds(500), logger: logger) {
                [sweeper = FlowSweeper(engine: services.flowEngine, logger: logger)] in try await sweeper.sweep()
            }
            var app = try Gateway.makeApplication(services, logger: logger)
            app.beforeServerStarts {
                try await Migrator().migrate(database, logger: logger)
                try await secrets.verify(against: database, logger: logger)
                let outcome = try await OwnerAccount.ensure(
                    accounts: services.accounts, environment: options.environment,
                    credentialsFile: options.dataDirectory.appendingPathComponent("credentials"), logger: logger)
                announce(outcome)
                dispatcher.databaseIsReady()
                services.sender.databaseIsReady()
                conversationTimers.databaseIsReady()
                flowSweeper.databaseIsReady()
                mediaNode?.databaseIsReady()
            }
            // The in-process node may finish on its own (drained by the operator) while the gateway goes on.
            let node: [ServiceGroupConfiguration.ServiceConfiguration] =
                mediaNode.map { [.init(service: $0, successTerminationBehavior: .ignore)] } ?? []
            let group = ServiceGroup(
                configuration: .init(
                    services: [
                        .init(service: EmbeddedPostgresService(runtime: runtime, logger: logger)),
                        .init(service: database.client),
                        .init(service: listener),
                        .init(service: MaintenanceService(idempotency: services.idempotency, logger: logger)),
                        .init(service: sweeper),
                        .init(service: services.sender),
                        .init(service: conversationTimers),
                        .init(service: flowSweeper),
                    ] + services.smppCarriers.map { .init(service: $0) } + [
                        // After the app in shutdown order: requests stop first, then in-flight deliveries finish.
                        .init(service: dispatcher),
                    ] + node + [.init(service: app)],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
            do {
                try await group.run()
            } catch {
                try? await services.egress.shutdown()
                throw error
            }
            try await services.egress.shutdown()
        } catch {
            await runtime.shutdown(always: false, logger: logger)
            throw error
        }
        withExtendedLifetime(lock) {}
    }

    /// Shows generated owner credentials once, on the console (they are also in the credentials file).
    private static func announce(_ outcome: OwnerAccount.Outcome) {
        switch outcome {
        case .existing:
            break
        case .createdFromEnvironment(let account):
            console("Owner account \(account.sid) created from \(OwnerAccount.sidVariable)/\(OwnerAccount.tokenVariable).\n")
        case .generated(let account, let file):
            console("Owner account created. Save these credentials (also written to \(file.path), mode 0600):\n"
                + OwnerAccount.credentialsFileContents(sid: account.sid, token: account.authToken))
        }
    }

    /// Unbuffered, so it lands in order with the log lines.
    private static func console(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Stops the embedded PostgreSQL when the service group shuts down. Listed first, so it stops last.
struct EmbeddedPostgresService: Service {
    let runtime: DatabaseRuntime
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        await runtime.shutdown(always: true, logger: logger)
    }
}

/// Periodic housekeeping: deletes idempotency records past their 24 hours.
public struct MaintenanceService: Service {
    let idempotency: IdempotencyStore
    let logger: Logger
    static let interval: Duration = .seconds(600)

    public init(idempotency: IdempotencyStore, logger: Logger) {
        self.idempotency = idempotency
        self.logger = logger
    }

    public func run() async throws {
        while true {
            // Ends on graceful shutdown and on cancellation (the group cancels everything when a service fails).
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) } } catch { return }
            do { try await idempotency.purgeExpired(logger: logger) } catch {
                logger.warning("idempotency purge failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
