import Foundation
import Logging
import Metrics
import Platform
import PostgresNIO
import Prometheus
import ServiceLifecycle
import Synchronization

/// A media node: serves its HTTP/WebSocket server, registers in PostgreSQL, heartbeats with its load,
/// obeys the control plane's commands, and drains on graceful shutdown (SIGTERM) or when the operator
/// asks: it takes no new rooms, lets its connections end (up to the drain timeout), sends whoever is left
/// back to the gateway for another node, marks itself stopped and returns.
public final class MediaNodeService: Service, Sendable {
    private let configuration: MediaNodeConfiguration
    private let database: Database
    /// For the heartbeat's own connection.
    private let endpoint: DatabaseEndpoint
    private let registry: NodeRegistry
    private let metrics: PrometheusCollectorRegistry
    private let logger: Logger
    private let box = NodeHTTPServer.StateBox()
    private let drainRequested = Atomic<Bool>(false)
    private let (readiness, readinessContinuation) = AsyncStream.makeStream(of: Void.self)
    private let (commands, commandContinuation) = AsyncStream.makeStream(of: NodeCommand.self)
    private let connections = Gauge(label: "parley_media_node_connections")

    public init(
        configuration: MediaNodeConfiguration, database: Database, endpoint: DatabaseEndpoint, listener: NotificationListener,
        metrics: PrometheusCollectorRegistry, logger: Logger
    ) {
        self.configuration = configuration
        self.database = database
        self.endpoint = endpoint
        self.registry = NodeRegistry(database: database)
        self.metrics = metrics
        self.logger = logger
        listener.on(NodeCommand.channel) { [box, commandContinuation] payload in
            guard let node = box.current, let command = NodeCommand.parse(payload, for: node.sid) else { return }
            commandContinuation.yield(command)
        }
    }

    /// Call once the schema is migrated: the node registers only then.
    public func databaseIsReady() {
        readinessContinuation.finish()
    }

    public func run() async throws {
        for await _ in readiness {}
        let ticketKey = try await TicketKey.load(from: database, logger: logger)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let server = ServiceGroup(
            services: [NodeHTTPServer.make(configuration: configuration, box: box, metrics: metrics, logger: logger) { port in
                portContinuation.yield(port)
                portContinuation.finish()
            }],
            logger: logger)
        // Detached: the server must outlive the group's graceful shutdown, which starts the drain.
        let serverTask = Task.detached { try await server.run() }
        var boundPort = configuration.port
        for await port in ports { boundPort = port }
        let mediaHost = configuration.advertisedHost ?? configuration.host
        let media = try await MediaEngine.start(host: configuration.host, port: configuration.mediaPort, advertisedIP: mediaHost, logger: logger)
        let sid = try await registry.register(.init(
            name: configuration.name, signalingURL: configuration.signalingURL(boundPort: boundPort),
            mediaHost: mediaHost, mediaPort: media.port,
            capacity: configuration.capacity, version: configuration.version), logger: logger)
        let node = NodeState(sid: sid, database: database, ticketKey: ticketKey, media: media, logger: logger)
        let relay = Task { await node.relayMediaEvents() }
        let streams = StreamRunner(node: node, policy: configuration.egressPolicy, logger: logger)
        let streaming = Task { await streams.run() }
        box.set(node)
        logger.info("media node registered", metadata: ["node": "\(sid)", "signaling_url": "\(configuration.signalingURL(boundPort: boundPort))"])

        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.obey(node, streams: streams) }
                await self.heartbeat(node)
                self.commandContinuation.finish()
            }
        } onGracefulShutdown: {
            self.drainRequested.store(true, ordering: .relaxed)
        }
        await leave(node)
        await media.stop()
        await relay.value
        await streaming.value
        await server.triggerGracefulShutdown()
        try await serverTask.value
    }

    /// Heartbeats until a drain has finished.
    private func heartbeat(_ node: NodeState) async {
        var drainDeadline: ContinuousClock.Instant?
        var connection: PostgresConnection?
        defer { if let connection { Task { try? await connection.close() } } }
        while true {
            let count = await node.hub.connectionCount
            connections.record(count)
            do {
                if connection == nil || connection?.isClosed == true {
                    connection = try await PostgresConnection.connect(
                        configuration: try endpoint.connectionConfiguration(), id: 1, logger: logger)
                }
                switch try await registry.heartbeat(node.sid, load: count, on: connection!, logger: logger) {
                case .draining: drainRequested.store(true, ordering: .relaxed)
                case .dead:
                    // Declared dead while alive (a stall, a partition): its rooms were moved, so its clients must move too.
                    logger.warning("this node was declared dead; sending its clients to the gateway", metadata: ["node": "\(node.sid)"])
                    await node.sendEveryoneAway(reason: "room-moved")
                    try await registry.setStatus(drainRequested.load(ordering: .relaxed) ? .draining : .active, of: node.sid, logger: logger)
                default: break
                }
            } catch {
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
                try? await connection?.close()
                connection = nil
            }
            if drainRequested.load(ordering: .relaxed) {
                if drainDeadline == nil {
                    logger.info("draining", metadata: ["node": "\(node.sid)", "connections": "\(count)"])
                    _ = try? await registry.setStatus(.draining, of: node.sid, logger: logger)
                    drainDeadline = .now + configuration.drainTimeout
                }
                if count == 0 || ContinuousClock.now >= drainDeadline! { return }
            }
            try? await Task.sleep(for: drainDeadline == nil ? configuration.heartbeatInterval : .milliseconds(200))
        }
    }

    /// Acts on the control plane's commands; the database already reflects them.
    private func obey(_ node: NodeState, streams: StreamRunner) async {
        for await command in commands {
            switch command {
            case .disconnect(let participant, let reason): await node.closeConnection(of: participant, reason: reason)
            case .endRoom(let room): await node.closeRoom(room)
            case .drain: drainRequested.store(true, ordering: .relaxed)
            // Not awaited: resolving a consumer's host name must not hold up the next command.
            case .startStream(let stream): Task { await streams.start(stream) }
            case .stopStream(let stream): await streams.stop(stream)
            }
        }
    }

    /// Sends remaining clients away, releases this node's rooms for placement elsewhere, and marks it stopped.
    private func leave(_ node: NodeState) async {
        await node.sendEveryoneAway(reason: "node-draining")
        do {
            try await database.withTransaction(logger: logger) { connection in
                try await connection.query(
                    """
                    UPDATE room_participants p SET status = 'reconnecting', date_updated = now()
                    FROM rooms r WHERE r.sid = p.room_sid AND r.node_sid = \(node.sid.rawValue) AND p.status = 'connected'
                    """, logger: logger)
                try await connection.query(
                    "UPDATE rooms SET node_sid = NULL WHERE node_sid = \(node.sid.rawValue) AND status = 'in-progress'", logger: logger)
                try await connection.query(
                    "UPDATE media_nodes SET status = 'stopped', date_updated = now() WHERE sid = \(node.sid.rawValue)", logger: logger)
            }
            logger.info("media node drained and stopped", metadata: ["node": "\(node.sid)"])
        } catch {
            logger.error("could not release this node's rooms", metadata: ["error": "\(error)"])
        }
    }
}
