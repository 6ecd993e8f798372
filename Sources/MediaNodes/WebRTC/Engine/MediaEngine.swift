import Logging
import NIOCore
import NIOPosix
import Platform

/// The node's WebRTC media plane as its signaling sessions see it: publish offers in, answers out;
/// subscriptions in, subscriber offers out (as ``MediaEvent``s); dominant-speaker changes out. Everything
/// behind it (sockets, ICE, DTLS, SRTP, forwarding) runs on one event loop of its own, so the per-packet
/// path takes no locks; these methods hop onto it.
final class MediaEngine: Sendable {
    let events: AsyncStream<MediaEvent>
    /// What happens to media streams (started, frames dropped, ended), in order per stream.
    let streamEvents: AsyncStream<StreamEvent>
    /// The certificate of this node run (a new one each start), whose fingerprint is in every SDP it writes.
    let certificate: DTLSCertificate
    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let server: MediaServer
    private let state: NIOLoopBound<EngineState>
    private let ticker: RepeatedTask
    private let eventsContinuation: AsyncStream<MediaEvent>.Continuation
    private let streamEventsContinuation: AsyncStream<StreamEvent>.Continuation
    private let streams: NIOLoopBound<MediaStreams>

    private init(
        events: AsyncStream<MediaEvent>, eventsContinuation: AsyncStream<MediaEvent>.Continuation,
        streamEvents: AsyncStream<StreamEvent>, streamEventsContinuation: AsyncStream<StreamEvent>.Continuation,
        certificate: DTLSCertificate, group: MultiThreadedEventLoopGroup, server: MediaServer,
        state: NIOLoopBound<EngineState>, streams: NIOLoopBound<MediaStreams>, ticker: RepeatedTask
    ) {
        self.events = events
        self.eventsContinuation = eventsContinuation
        self.streamEvents = streamEvents
        self.streamEventsContinuation = streamEventsContinuation
        self.streams = streams
        self.certificate = certificate
        self.port = server.port
        self.group = group
        self.server = server
        self.state = state
        self.ticker = ticker
    }

    /// Makes this run's certificate, binds the media port and starts the clock that drives retransmissions,
    /// NACKs and consent checks.
    static func start(host: String, port: Int, advertisedIP: String, logger: Logger) async throws -> MediaEngine {
        let certificate = try DTLSCertificate()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let router = try await loop.submit { MediaRouter(loop: loop, logger: logger) }.get()
        let server = try await MediaServer.start(host: host, port: port, advertisedIP: advertisedIP, router: router, logger: logger)
        let (events, continuation) = AsyncStream.makeStream(of: MediaEvent.self)
        let (streamEvents, streamContinuation) = AsyncStream.makeStream(of: StreamEvent.self)
        let (state, streams, ticker) = try await loop.submit {
            let engine = EngineState(router: router, certificate: certificate, candidates: server.candidates, logger: logger) {
                continuation.yield($0)
            }
            let bound = NIOLoopBound(engine, eventLoop: loop)
            let streams = MediaStreams(loop: loop, engine: engine, logger: logger) { streamContinuation.yield($0) }
            let ticker = loop.scheduleRepeatedTask(initialDelay: .milliseconds(10), delay: .milliseconds(10)) { _ in
                bound.value.tick(at: .now)
            }
            return (bound, NIOLoopBound(streams, eventLoop: loop), ticker)
        }.get()
        return MediaEngine(
            events: events, eventsContinuation: continuation, streamEvents: streamEvents, streamEventsContinuation: streamContinuation,
            certificate: certificate, group: group, server: server, state: state, streams: streams, ticker: ticker)
    }

    /// Answers `participant`'s publish offer and binds its media sections to the published tracks.
    func publish(participant: SID, room: SID, offer: String, bindings: [PublishBinding]) async throws -> String {
        try await onLoop { try $0.publish(participant: participant, room: room, offer: offer, bindings: bindings) }
    }

    /// Stops forwarding `track` (unpublished); its subscribers get offers without it.
    func unpublish(track: SID, room: SID) async {
        try? await onLoop { $0.unpublish(track: track, room: room) }
    }

    func subscribe(participant: SID, room: SID, track: SID, preference: SimulcastPreference) async {
        try? await onLoop { $0.subscribe(participant: participant, room: room, track: track, preference: preference) }
    }

    func unsubscribe(participant: SID, track: SID) async {
        try? await onLoop { $0.unsubscribe(participant: participant, track: track) }
    }

    func setPreference(_ preference: SimulcastPreference, participant: SID, track: SID) async {
        try? await onLoop { $0.setPreference(preference, participant: participant, track: track) }
    }

    /// Applies the client's answer to the subscribe offer of `revision`.
    func applySubscriberAnswer(participant: SID, revision: Int, sdp: String) async throws {
        try await onLoop { try $0.applySubscriberAnswer(participant: participant, revision: revision, sdp: sdp) }
    }

    /// Tears down `participant`'s peer connections and unpublishes its media from the room's forwarding.
    func remove(participant: SID) async {
        try? await onLoop { $0.remove(participant: participant) }
    }

    func removeRoom(_ room: SID) async {
        try? await onLoop { $0.removeRoom(room) }
    }

    func removeAll() async {
        try? await onLoop { $0.closeAll() }
    }

    // MARK: Media streams

    /// Runs `spec` (connects to its consumer; publishes its bot's track), unless it already runs here.
    func startStream(_ spec: StreamSpec) async {
        try? await onStreams { $0.start(spec) }
    }

    /// Ends a stream the control plane stopped: `stop` to the consumer, then the socket closes.
    func stopStream(_ sid: SID) async {
        try? await onStreams { $0.stop(sid) }
    }

    /// Stops the streams running here that `wanted` (the database's in-progress streams of this node's rooms,
    /// read at `snapshot`) lacks; returns those of `wanted` to start.
    func reconcileStreams(wanted: Set<SID>, snapshot: ContinuousClock.Instant) async -> Set<SID> {
        (try? await onStreams { $0.reconcile(wanted: wanted, snapshot: snapshot) }) ?? []
    }

    func stop() async {
        ticker.cancel()
        try? await onStreams { $0.stopAll() }
        await removeAll()
        await server.stop()
        eventsContinuation.finish()
        streamEventsContinuation.finish()
        try? await group.shutdownGracefully()
    }

    private func onStreams<Result: Sendable>(_ body: @escaping @Sendable (MediaStreams) throws -> Result) async throws -> Result {
        let streams = self.streams
        return try await server.loop.submit { try body(streams.value) }.get()
    }

    private func onLoop<Result: Sendable>(_ body: @escaping @Sendable (EngineState) throws -> Result) async throws -> Result {
        let state = self.state
        return try await server.loop.submit {
            let result = try body(state.value)
            state.value.router.flush()
            return result
        }.get()
    }
}
