import Logging
import Metrics
import NIOCore
import Platform

/// The node's running media streams, on the media engine's loop, and the one 20 ms clock that drives
/// them all. The clock ticks at absolute deadlines (start + n × 20 ms), so late wake-ups never accumulate
/// into drift; it runs only while there are streams.
final class MediaStreams {
    let loop: EventLoop
    let logger: Logger
    private unowned let engine: EngineState
    private let report: (StreamEvent) -> Void
    private var sessions: [SID: StreamSession] = [:]
    /// Streams that ended here while the database may still show them in progress: not to be restarted.
    private var ended: Set<SID> = []
    private var clock: Scheduled<Void>?
    private var epoch = NIODeadline.now()
    private var tickCount: Int64 = 0
    private static let frame = TimeAmount.milliseconds(20)
    private static let running = Gauge(label: "parley_media_streams")
    private static let dropped = Counter(label: "parley_media_stream_dropped_frames_total")

    init(loop: EventLoop, engine: EngineState, logger: Logger, report: @escaping (StreamEvent) -> Void) {
        self.loop = loop
        self.engine = engine
        self.logger = logger
        self.report = report
    }

    /// Starts `spec` unless it runs or ran here: publishes its bot track, connects to its consumer.
    func start(_ spec: StreamSpec) {
        guard sessions[spec.sid] == nil, !ended.contains(spec.sid) else { return }
        var bot: BotAudioTrack?
        if let binding = spec.bot {
            do {
                let track = try BotAudioTrack(
                    track: binding.track, participant: binding.participant, room: engine.mediaRoom(spec.room), sampleRate: spec.sampleRate)
                engine.publishLocal(track.upTrack, participant: binding.participant)
                bot = track
            } catch {
                ended.insert(spec.sid)
                return report(.ended(spec.sid, .failed("could not start the bot's audio encoder: \(error)")))
            }
        }
        let session = StreamSession(spec: spec, streams: self, bot: bot)
        sessions[spec.sid] = session
        Self.running.record(sessions.count)
        session.connect()
        if clock == nil {
            epoch = .now()
            tickCount = 0
            scheduleTick()
        }
    }

    /// Stops a stream the control plane ended (`stop` to its consumer).
    func stop(_ sid: SID) {
        sessions[sid]?.stop()
    }

    func stopAll() {
        for session in Array(sessions.values) { session.stop() }
    }

    /// Aligns with the database's in-progress streams of this node's rooms as read at `snapshot`: stops the
    /// running ones not among them (unless started since: their rows may have committed after the read) and
    /// returns those to start (neither running nor ended here).
    func reconcile(wanted: Set<SID>, snapshot: ContinuousClock.Instant) -> Set<SID> {
        for (sid, session) in sessions where !wanted.contains(sid) && session.startedAt < snapshot { session.stop() }
        ended.formIntersection(wanted)
        return wanted.subtracting(sessions.keys).subtracting(ended)
    }

    func room(_ sid: SID) -> MediaRoom? { engine.existingRoom(sid) }

    func emit(_ event: StreamEvent) {
        if case .framesDropped(_, let count) = event { Self.dropped.increment(by: count) }
        report(event)
    }

    /// Called by a session as it ends.
    func ended(_ session: StreamSession, _ ending: StreamEnding) {
        sessions[session.spec.sid] = nil
        ended.insert(session.spec.sid)
        Self.running.record(sessions.count)
        if let binding = session.spec.bot { engine.unpublishLocal(binding.track, participant: binding.participant, room: session.spec.room) }
        report(.ended(session.spec.sid, ending))
        if sessions.isEmpty {
            clock?.cancel()
            clock = nil
        }
    }

    private func scheduleTick() {
        tickCount += 1
        var deadline = epoch + Self.frame * tickCount
        let now = NIODeadline.now()
        // A loop stalled for more than 100 ms starts a new epoch rather than bursting to catch up.
        if now - deadline > .milliseconds(100) {
            logger.warning("media stream clock fell behind; resynchronising", metadata: ["late_ms": "\((now - deadline).nanoseconds / 1_000_000)"])
            epoch = now
            tickCount = 0
            deadline = now
        }
        clock = loop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in self?.tick() }
    }

    private func tick() {
        let now = ContinuousClock.now
        for session in Array(sessions.values) { session.tick(at: now) }
        engine.router.flush()
        guard !sessions.isEmpty else { return }
        scheduleTick()
    }
}
