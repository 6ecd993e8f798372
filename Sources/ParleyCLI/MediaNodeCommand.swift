import ArgumentParser
import Foundation
import Logging
import MediaNodes
import Metrics
import Platform
import Prometheus
import ServiceLifecycle

struct MediaNodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media-node",
        abstract: "Run a media node: hosts the rooms the gateways place on it; drains on SIGTERM.")

    @Option(help: "PostgreSQL URL shared with the gateways (default: $DATABASE_URL).") var databaseURL: String?
    @Option(help: "Address the signaling/HTTP server listens on.") var host: String = "127.0.0.1"
    @Option(help: "Port the signaling/HTTP server listens on (0 picks a free one).") var port: Int = 0
    @Option(help: "Host clients reach this node at (default: --host); an IP address, as it is also the media candidate.")
    var advertiseHost: String?
    @Option(help: "Signaling WebSocket URL clients open, when not ws://ADVERTISE-HOST:PORT/v1/Signaling (e.g. behind TLS).")
    var signalingURL: String?
    @Option(help: "UDP port for media, also used for passive ICE-TCP (0 picks a free one).") var mediaPort: Int = 0
    @Option(help: "Most participants this node takes.") var capacity: Int = 500
    @Option(help: "Name shown in /media/v1/Nodes (default: the host name).") var name: String?
    @Option(help: "Seconds a drain waits for rooms to empty before sending the rest to other nodes.") var drainTimeout: Int = 3600
    @Option(help: "Most PostgreSQL connections this node opens.") var databasePoolSize: Int = 10
    @OptionGroup var egress: EgressOptions

    func validate() throws {
        guard (0...65535).contains(port), (0...65535).contains(mediaPort) else { throw ValidationError("ports are 0-65535") }
        guard capacity > 0 else { throw ValidationError("--capacity must be positive") }
        guard drainTimeout >= 0 else { throw ValidationError("--drain-timeout must be 0 or more") }
        guard resolvedDatabaseURL != nil else {
            throw ValidationError("a media node needs the gateways' database: pass --database-url or set DATABASE_URL")
        }
    }

    private var resolvedDatabaseURL: String? {
        databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func run() async throws {
        let logger = CommandLogging.bootstrap(defaultLevel: .info, toStandardError: false)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let endpoint = try DatabaseEndpoint(url: resolvedDatabaseURL ?? "")
        let database = try Database(endpoint: endpoint, maximumConnections: databasePoolSize, logger: logger)
        let listener = NotificationListener(endpoint: endpoint, logger: logger)
        let node = MediaNodeService(
            configuration: MediaNodeConfiguration(
                host: host, port: port, advertisedHost: advertiseHost, signalingURL: signalingURL, mediaPort: mediaPort,
                capacity: capacity, name: name ?? ProcessInfo.processInfo.hostName, drainTimeout: .seconds(drainTimeout),
                egressPolicy: try egress.policy()),
            database: database, endpoint: endpoint, listener: listener, metrics: registry, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: database.client),
                    .init(service: listener),
                    .init(service: MigrationGate(database: database, node: node, logger: logger), successTerminationBehavior: .ignore),
                    // Last, so it shuts down (drains) first, while the database is still there.
                    .init(service: node, successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}

/// Applies pending migrations (the same ones the gateways apply), then lets the node register.
private struct MigrationGate: Service {
    let database: Database
    let node: MediaNodeService
    let logger: Logger

    func run() async throws {
        try await Migrator().migrate(database, logger: logger)
        node.databaseIsReady()
    }
}
