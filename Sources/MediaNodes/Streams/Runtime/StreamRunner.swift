import Logging
import Platform
import Synchronization

/// A node's side of media streams. It starts the streams of the rooms placed here: on the control plane's
/// command, and by reconciling with the database every second, so a lost command only delays, and a stream
/// whose participant left or whose room ended is stopped here too. It records what the engine reports
/// (started, frames dropped, ended) through the repository's status callbacks, and brings bidirectional
/// streams' bot participants into and out of their rooms.
final class StreamRunner: Sendable {
    private struct Bot: Sendable {
        var participant: SID
        var identity: String
        var room: SID
    }

    private let node: NodeState
    private let repository: MediaStreamRepository
    private let policy: EgressPolicy
    private let logger: Logger
    private let starting = Mutex<Set<SID>>([])
    private let bots = Mutex<[SID: Bot]>([:])

    init(node: NodeState, policy: EgressPolicy, logger: Logger) {
        self.node = node
        self.repository = MediaStreamRepository(database: node.database, outbox: node.outbox)
        self.policy = policy
        self.logger = logger
    }

    /// Records the engine's stream events and reconciles every second, until the engine stops.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.recordEvents() }
            group.addTask {
                while !Task.isCancelled {
                    await self.reconcile()
                    try? await Task.sleep(for: .seconds(1))
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Starts a stream the control plane created (a no-op when it runs, ran, or is no longer in progress).
    func start(_ sid: SID) async {
        guard starting.withLock({ $0.insert(sid).inserted }) else { return }
        defer { _ = starting.withLock { $0.remove(sid) } }
        guard let stream = try? await repository.load(sid, logger: logger), stream.status == .inProgress else { return }
        do {
            let target = try policy.checkURL(stream.url)
            let addresses = try await policy.permittedAddresses(of: target)
            let bot = stream.bidirectional ? try await joinBot(for: stream) : nil
            await node.media.startStream(StreamSpec(stream, target: target, addresses: addresses, bot: bot))
        } catch {
            logger.warning("media stream could not start", metadata: ["stream": "\(sid)", "error": "\(error)"])
            await leaveBot(of: sid)
            await record { try await repository.stop(sid, reason: .error("\(error)"), logger: logger) }
        }
    }

    /// Stops a stream the control plane stopped.
    func stop(_ sid: SID) async {
        await node.media.stopStream(sid)
    }

    private func reconcile() async {
        do {
            let snapshot = ContinuousClock.now
            let wanted = Set(try await repository.inProgressSIDs(onNode: node.sid, logger: logger))
            for sid in await node.media.reconcileStreams(wanted: wanted, snapshot: snapshot) { await start(sid) }
        } catch {
            logger.warning("could not reconcile media streams", metadata: ["error": "\(error)"])
        }
    }

    private func recordEvents() async {
        for await event in node.media.streamEvents {
            switch event {
            case .started(let sid):
                await record { try await repository.recordStarted(sid, logger: logger) }
            case .framesDropped(let sid, let count):
                await record { try await repository.recordWarning(sid, droppedFrames: count, logger: logger) }
            case .ended(let sid, let ending):
                await leaveBot(of: sid)
                switch ending {
                case .stopped: break
                case .consumerClosed: await record { try await repository.stop(sid, reason: .stopped, logger: logger) }
                case .failed(let reason): await record { try await repository.stop(sid, reason: .error(reason), logger: logger) }
                }
            }
        }
    }

    /// Runs a repository write; its callbacks reach the gateways' dispatchers at once.
    private func record(_ write: () async throws -> some Sendable) async {
        do {
            _ = try await write()
            await DeliveryDispatcher.wakeDispatchers(database: node.database, logger: logger)
        } catch {
            logger.warning("could not record a media stream change", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Bot participants

    /// Connects the stream's bot participant and publishes its audio track, as a client joining would.
    private func joinBot(for stream: MediaStream) async throws -> StreamSpec.BotBinding {
        let identity = stream.botIdentity ?? stream.sid.rawValue
        let (connected, track) = try await node.change { changes, connection in
            let connected = try await changes.connect(
                identity: identity, room: stream.roomSid, account: stream.accountSid, node: node.sid, resume: nil,
                on: connection, logger: logger)
            let tracks = try await changes.publish([("audio", .audio)], by: connected.participant, on: connection, logger: logger)
            return (connected, tracks[0])
        }
        let participant = connected.participant
        bots.withLock { $0[stream.sid] = Bot(participant: participant.sid, identity: identity, room: stream.roomSid) }
        if let replaced = connected.replaced { await node.closeConnection(of: replaced.participant, reason: .duplicateIdentity) }
        try await repository.setBotParticipant(stream.sid, participant: participant.sid, logger: logger)
        await node.hub.broadcast(
            ServerMessage.participantConnected(.init(sid: participant.sid, identity: identity, tracks: [track])), room: stream.roomSid)
        return StreamSpec.BotBinding(participant: participant.sid, track: track.sid)
    }

    private func leaveBot(of stream: SID) async {
        guard let bot = bots.withLock({ $0.removeValue(forKey: stream) }) else { return }
        do {
            _ = try await node.change { changes, connection in
                try await connection.query("SELECT 1 FROM rooms WHERE sid = \(bot.room.rawValue) FOR UPDATE", logger: logger)
                return try await changes.disconnect(bot.participant, reason: .left, on: connection, logger: logger)
            }
        } catch {
            logger.warning("could not disconnect a media stream's bot", metadata: ["participant": "\(bot.participant)", "error": "\(error)"])
        }
        await node.hub.broadcast(ServerMessage.participantLeft("participant-disconnected", sid: bot.participant, identity: bot.identity), room: bot.room)
    }
}
