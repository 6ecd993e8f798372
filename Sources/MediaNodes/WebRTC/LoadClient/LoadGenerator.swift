import Logging
import NIOCore
import NIOPosix
import Platform

/// What `parley loadgen` runs: rooms of publishers and subscribers against a gateway and its media nodes.
public struct LoadGeneratorConfiguration: Sendable {
    /// The gateway's base URL, e.g. `http://127.0.0.1:8080`.
    public var gateway: String
    public var accountSID: String
    public var apiKeySID: String
    public var apiKeySecret: String
    /// Room names are this, suffixed `-1`, `-2`… when there are several rooms.
    public var room: String
    public var rooms: Int
    public var publishers: Int
    public var subscribers: Int
    public var duration: Duration
    public var packetsPerSecond: Int
    public var payloadSize: Int
    /// The node's process, for its CPU use.
    public var nodePID: Int32?
    /// Replaces the address in the node's candidates.
    public var mediaHost: String?
    /// Event loops for the load generator's sockets.
    public var threads: Int
    /// Participants set up at once.
    public var connectBatch: Int
    /// Media streams mode: streams per publisher and how they are made; nil measures SFU forwarding.
    public var streams: LoadStreamsConfiguration?

    public init(
        gateway: String, accountSID: String, apiKeySID: String, apiKeySecret: String, room: String, rooms: Int,
        publishers: Int, subscribers: Int, duration: Duration, packetsPerSecond: Int, payloadSize: Int, nodePID: Int32?,
        mediaHost: String?, threads: Int, connectBatch: Int, streams: LoadStreamsConfiguration? = nil
    ) {
        self.gateway = gateway.hasSuffix("/") ? String(gateway.dropLast()) : gateway
        self.accountSID = accountSID
        self.apiKeySID = apiKeySID
        self.apiKeySecret = apiKeySecret
        self.room = room
        self.rooms = rooms
        self.publishers = publishers
        self.subscribers = subscribers
        self.duration = duration
        self.packetsPerSecond = packetsPerSecond
        self.payloadSize = payloadSize
        self.nodePID = nodePID
        self.mediaHost = mediaHost
        self.threads = threads
        self.connectBatch = connectBatch
        self.streams = streams
    }
}

/// A WebRTC load generator built on the node's own protocol code, acting as browsers do: each publisher
/// sends one Opus-rate audio stream, each subscriber subscribes to every publisher of its room. All
/// publishers connect first, then all subscribers; sending starts once everyone's media is up, so every
/// packet sent should reach every subscriber of its room.
public enum LoadGenerator {
    /// How long one participant may take to join and connect its media.
    static let setupTimeout: Duration = .seconds(60)
    /// Lets the last subscriber answers settle before sending, and in-flight packets arrive after it.
    static let settleTime: Duration = .milliseconds(500)
    static let drainTime: Duration = .seconds(1)

    public static func run(_ configuration: LoadGeneratorConfiguration, logger: Logger) async throws -> LoadReport {
        try await withResources(configuration) { group, http in
            try await run(configuration, group: group, http: http, logger: logger) { members in
                let report = try await measure(members, configuration: configuration)
                await finish(members)
                return report
            }
        }
    }

    /// Media streams mode (``LoadGeneratorConfiguration/streams``): publishers send real Opus, the node
    /// streams their audio to consumers this process runs. See ``LoadStreamRun``.
    public static func runStreams(_ configuration: LoadGeneratorConfiguration, logger: Logger) async throws -> LoadStreamReport {
        guard let streams = configuration.streams else { throw LoadGeneratorError("no streams configuration") }
        var publishersOnly = configuration
        publishersOnly.subscribers = 0
        let payloads = try LoadStreamRun.tonePayloads()
        // The consumers get a loop (and thread) of their own: the publishers' sends do not delay their reads.
        let consumerGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let consumers: LoadStreamConsumers
        do {
            consumers = try await LoadStreamConsumers.start(group: consumerGroup)
        } catch {
            try? await consumerGroup.shutdownGracefully()
            throw error
        }
        let outcome: Result<LoadStreamReport, any Error>
        do {
            outcome = .success(try await withResources(configuration) { group, http in
                try await run(publishersOnly, group: group, http: http, logger: logger) { members in
                    let run = LoadStreamRun(
                        configuration: configuration, streams: streams, consumers: consumers, http: http, payloads: payloads, logger: logger)
                    return try await run.measure(members.map { ($0.participant, $0.room) }) { await finish(members) }
                }
            })
        } catch {
            outcome = .failure(error)
        }
        await consumers.close()
        try? await consumerGroup.shutdownGracefully()
        return try outcome.get()
    }

    private static func withResources<R: Sendable>(
        _ configuration: LoadGeneratorConfiguration, _ body: (EventLoopGroup, EgressHTTPClient) async throws -> R
    ) async throws -> R {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads)
        let http = EgressHTTPClient(policy: try EgressPolicy.parse("0.0.0.0/0, ::/0"))
        do {
            let report = try await body(group, http)
            try? await http.shutdown()
            try? await group.shutdownGracefully()
            return report
        } catch {
            try? await http.shutdown()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private typealias Planned = (room: Int, identity: String, role: LoadRole)

    private struct Member {
        var room: Int
        var participant: LoadParticipant
        var stop: LoadSignal<Void>
    }

    /// Connects every participant, then hands them to `measure`, which must make them leave (``finish(_:)``)
    /// before it returns (when it throws, they are made to leave here).
    private static func run<R: Sendable>(
        _ configuration: LoadGeneratorConfiguration, group: EventLoopGroup, http: EgressHTTPClient, logger: Logger,
        measure: ([Member]) async throws -> R
    ) async throws -> R {
        let certificate = try DTLSCertificate()
        let token = LoadAccessToken(accountSID: configuration.accountSID, apiKeySID: configuration.apiKeySID, apiKeySecret: configuration.apiKeySecret)
        let tickets = LoadTickets(gateway: configuration.gateway, token: token, client: http)
        let roomNames = (1...configuration.rooms).map { configuration.rooms == 1 ? configuration.room : "\(configuration.room)-\($0)" }
        // Two phases: a subscriber that joins while a publisher publishes can miss its track (the join reads
        // the room before the publish commits, and registers for pushes after its broadcast).
        var publishers: [Planned] = []
        var subscribers: [Planned] = []
        for room in roomNames.indices {
            for index in 0..<configuration.publishers {
                publishers.append((room, LoadParticipant.publisherPrefix + String(index), .publisher(ssrc: .random(in: 1...UInt32.max))))
            }
            for index in 0..<configuration.subscribers {
                subscribers.append((room, "sub-\(index)", .subscriber(publishers: configuration.publishers)))
            }
        }
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            var members: [Member] = []
            do {
                for (phase, batchStart) in [publishers, subscribers].flatMap({ phase in
                    stride(from: 0, to: phase.count, by: configuration.connectBatch).map { (phase, $0) }
                }) {
                    var readies: [LoadSignal<Result<Void, LoadGeneratorError>>] = []
                    for (room, identity, role) in phase[batchStart..<min(batchStart + configuration.connectBatch, phase.count)] {
                        let peer = try await LoadPeer.bind(group: group, certificate: certificate)
                        let participant = LoadParticipant(
                            identity: identity, role: role, peer: peer, certificate: certificate, mediaHost: configuration.mediaHost,
                            logger: logger)
                        let (ready, stop) = (LoadSignal<Result<Void, LoadGeneratorError>>(), LoadSignal<Void>())
                        let roomName = roomNames[room]
                        tasks.addTask {
                            do {
                                let ticket = try await tickets.ticket(identity: identity, room: roomName)
                                await participant.run(ticket: ticket, ready: ready, stop: stop)
                            } catch {
                                ready.send(.failure(LoadGeneratorError("\(identity) in \(roomName): \(error)")))
                            }
                        }
                        readies.append(ready)
                        members.append(Member(room: room, participant: participant, stop: stop))
                    }
                    for ready in readies { try await waitReady(ready) }
                }
                logger.info("all participants connected", metadata: ["participants": "\(members.count)"])
                return try await measure(members)
            } catch {
                await finish(members)
                throw error
            }
        }
    }

    /// Waits for one participant to be ready, at most ``setupTimeout``.
    private static func waitReady(_ ready: LoadSignal<Result<Void, LoadGeneratorError>>) async throws {
        let outcome = await withTaskGroup(of: Result<Void, LoadGeneratorError>?.self) { race in
            race.addTask { await ready.wait() }
            race.addTask {
                try? await Task.sleep(for: setupTimeout)
                return nil
            }
            let first = await race.next() ?? nil
            race.cancelAll()
            return first
        }
        switch outcome {
        case .success?: return
        case .failure(let error)?: throw error
        case nil: throw LoadGeneratorError("a participant did not connect within \(setupTimeout)")
        }
    }

    /// Sends for the configured duration and gathers what arrived.
    private static func measure(_ members: [Member], configuration: LoadGeneratorConfiguration) async throws -> LoadReport {
        try await Task.sleep(for: settleTime)
        let (seconds, attoseconds) = configuration.duration.components
        let deadline = NIODeadline.now() + .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let interval = TimeAmount.nanoseconds(1_000_000_000 / Int64(max(configuration.packetsPerSecond, 1)))
        let clock = ContinuousClock()
        let nodeStart = ProcessCPUTime.seconds(pid: configuration.nodePID)
        let selfStart = ProcessCPUTime.seconds(pid: nil)
        let start = clock.now
        for member in members {
            guard case .publisher(let ssrc) = member.participant.role else { continue }
            member.participant.peer.startSending(ssrc: ssrc, payloadSize: configuration.payloadSize, interval: interval, until: deadline)
        }
        try await Task.sleep(until: start + configuration.duration, clock: clock)
        let elapsed = start.duration(to: clock.now)
        let nodeEnd = ProcessCPUTime.seconds(pid: configuration.nodePID)
        let selfEnd = ProcessCPUTime.seconds(pid: nil)
        try await Task.sleep(for: drainTime)

        let window = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var sentPerRoom = [Int](repeating: 0, count: configuration.rooms)
        var subscribersPerRoom = [Int](repeating: 0, count: configuration.rooms)
        var received = 0, reordered = 0, failures = 0
        var delays: [UInt32] = []
        for member in members {
            let statistics = try await member.participant.peer.statistics().get()
            sentPerRoom[member.room] += statistics.sent
            if case .subscriber = member.participant.role { subscribersPerRoom[member.room] += 1 }
            received += statistics.probe.received
            reordered += statistics.probe.reordered
            failures += statistics.srtpFailures
            delays += statistics.probe.delays
        }
        delays.sort()
        let delay = LoadReport.percentiles(delays, [0.5, 0.99, 1.0])
        let nodeCores = nodeStart.flatMap { start in nodeEnd.map { ($0 - start) / window } }
        return LoadReport(
            rooms: configuration.rooms, publishers: configuration.publishers, subscribers: configuration.subscribers, seconds: window,
            packetsSent: sentPerRoom.reduce(0, +), forwardsExpected: zip(sentPerRoom, subscribersPerRoom).map { $0 * $1 }.reduce(0, +),
            forwardsReceived: received, reordered: reordered, srtpFailures: failures, delayP50: delay[0], delayP99: delay[1],
            delayMax: delay[2], nodeCores: nodeCores, generatorCores: ((selfEnd ?? 0) - (selfStart ?? 0)) / window)
    }

    /// Everyone leaves; the sockets close.
    private static func finish(_ members: [Member]) async {
        for member in members { member.stop.send(()) }
        for member in members { await member.participant.peer.close() }
    }
}
