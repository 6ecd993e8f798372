import Logging
import NIOCore
import NIOWebSocket
import Platform

/// One running media stream on the engine's loop: its consumer connection (retried per the stream's
/// policy), the audio it sends on every tick of the 20 ms clock, and, when bidirectional, the consumer's
/// audio played into the room with its marks.
final class StreamSession {
    private enum Connection {
        case connecting
        case open(ConsumerSocket)
        case waitingToRetry
        case ended
    }

    let spec: StreamSpec
    /// When the engine started it, so a reconciliation against an older database snapshot leaves it alone.
    let startedAt = ContinuousClock.now
    private unowned let streams: MediaStreams
    private var connection = Connection.connecting
    /// The protocol state of the open connection (each connection starts with `connected` and `start`).
    private var writer: MediaStreamWriter?
    /// Connection attempts since the last one that opened.
    private var failures = 0
    /// Tells a superseded connection's late events from the current one's.
    private var generation = 0
    private var announced = false
    private var ticks: UInt64 = 0
    private var droppedFrames = 0
    private let inbound: SourceMix?
    private let outbound: SourceMix?
    private let playout: PlayoutQueue?
    private let bot: BotAudioTrack?

    /// Ticks between looks at which tracks the mixes should hear (100 ms).
    private static let reconcileEvery: UInt64 = 5
    /// Ticks between reports of dropped frames (1 s).
    private static let reportEvery: UInt64 = 50

    init(spec: StreamSpec, streams: MediaStreams, bot: BotAudioTrack?) {
        self.spec = spec
        self.streams = streams
        self.bot = bot
        let participant = spec.participant
        let botParticipant = spec.bot?.participant
        inbound = spec.inbound ? SourceMix(sampleRate: spec.sampleRate) { $0.publisher == participant } : nil
        // What the participant hears: everyone else, the stream's own bot included only if it is not this stream's.
        outbound = spec.outbound ? SourceMix(sampleRate: spec.sampleRate) { $0.publisher != participant && $0.publisher != botParticipant } : nil
        playout = spec.bot == nil ? nil : PlayoutQueue(sampleRate: spec.sampleRate)
    }

    var isEnded: Bool { if case .ended = connection { true } else { false } }

    // MARK: Connection

    func connect() {
        generation += 1
        let generation = self.generation
        connection = .connecting
        let address = spec.addresses[failures % spec.addresses.count]
        ConsumerSocket.connect(
            url: spec.url, target: spec.target, address: address, signature: spec.signature, loop: streams.loop,
            maximumPendingBytes: spec.pendingBytesBound
        ) { [weak self] event in
            guard let self, self.generation == generation else { return }
            self.handle(event)
        }.assumeIsolated().whenComplete { [weak self] result in
            guard let self, self.generation == generation, case .connecting = self.connection else {
                if case .success(let socket) = result { socket.close(code: .goingAway) }
                return
            }
            switch result {
            case .success(let socket): self.opened(socket)
            case .failure(let error): self.connectionLost("\(error)")
            }
        }
    }

    private func opened(_ socket: ConsumerSocket) {
        failures = 0
        connection = .open(socket)
        var writer = MediaStreamWriter(stream: spec.description)
        send(writer.connected(), essential: true)
        send(writer.start(), essential: true)
        self.writer = writer
        if !announced {
            announced = true
            streams.emit(.started(spec.sid))
        }
    }

    private func connectionLost(_ reason: String) {
        guard !isEnded else { return }
        writer = nil
        guard failures < spec.reconnectAttempts else { return end(.failed(reason)) }
        failures += 1
        connection = .waitingToRetry
        streams.logger.info("media stream consumer lost; retrying", metadata: ["stream": "\(spec.sid)", "reason": "\(reason)", "attempt": "\(failures)"])
        // 0.5 s, 1 s, 2 s… up to 8 s between attempts.
        let delay = TimeAmount.milliseconds(500 << min(failures - 1, 4))
        streams.loop.assumeIsolated().scheduleTask(in: delay) { [weak self] in
            guard let self, case .waitingToRetry = self.connection else { return }
            self.connect()
        }
    }

    private func handle(_ event: ConsumerSocketEvent) {
        switch event {
        case .text(let buffer): receive(ConsumerMessage.parse(Array(buffer.readableBytesView), streamSid: spec.sid.rawValue))
        case .binary(let buffer):
            guard case .linear16 = spec.format, let playout,
                let samples = buffer.readableBytesView.withUnsafeBytes(PCM16.decodeLittleEndian) else { return }
            playout.append(samples)
        case .closedByConsumer: end(.consumerClosed)
        case .dropped(let reason): connectionLost(reason)
        }
    }

    private func receive(_ message: ConsumerMessage) {
        switch message {
        case .media(let mulaw):
            // Binary-mode streams take PCM as binary frames; μ-law media is Twilio's 8 kHz only.
            guard let playout, spec.format == .muLaw else { return }
            playout.append(MuLaw.decode(mulaw))
        case .mark(let name):
            playout?.mark(name)
        case .clear:
            for name in playout?.clear() ?? [] { sendMark(name) }
        case .ignored(let reason):
            streams.logger.debug("consumer message ignored", metadata: ["stream": "\(spec.sid)", "reason": "\(reason)"])
        }
    }

    // MARK: The clock

    /// One tick of the 20 ms clock: the next frame of each track to the consumer, the consumer's next frame
    /// into the room, the marks now played.
    func tick(at now: ContinuousClock.Instant) {
        if ticks % Self.reconcileEvery == 0 {
            let room = streams.room(spec.room)
            inbound?.reconcile(with: room)
            outbound?.reconcile(with: room)
        }
        let heard = inbound?.nextFrame()
        let spoken = outbound?.nextFrame()
        if case .open(let socket) = connection, writer != nil {
            switch spec.format {
            case .muLaw:
                if let heard { countDrop(unless: send(writer!.media(track: .inbound, samples: heard))) }
                if let spoken { countDrop(unless: send(writer!.media(track: .outbound, samples: spoken))) }
            case .linear16:
                let pcm = PCM16.encodeLittleEndian(inbound: heard, outbound: spoken)
                countDrop(unless: socket.send(pcm, opcode: .binary))
            }
        }
        if let playout, let bot {
            let (frame, marksDue) = playout.nextFrame()
            bot.play(frame, tick: ticks, at: now)
            for name in marksDue { sendMark(name) }
        }
        ticks += 1
        if ticks % Self.reportEvery == 0, droppedFrames > 0 {
            streams.emit(.framesDropped(spec.sid, count: droppedFrames))
            droppedFrames = 0
        }
    }

    private func countDrop(unless sent: Bool) {
        if !sent { droppedFrames += 1 }
    }

    private func sendMark(_ name: String) {
        guard writer != nil else { return }
        send(writer!.mark(name: name), essential: true)
    }

    /// Sends a text message; `essential` ones (protocol messages, marks) pass the slow-consumer bound.
    @discardableResult
    private func send(_ message: [UInt8], essential: Bool = false) -> Bool {
        guard case .open(let socket) = connection else { return false }
        return socket.send(message, opcode: .text, essential: essential)
    }

    // MARK: Ending

    /// Stopped by the control plane: `stop`, then the socket closes.
    func stop() {
        if case .open = connection, writer != nil { send(writer!.stop(), essential: true) }
        end(.stopped)
    }

    private func end(_ ending: StreamEnding) {
        guard !isEnded else { return }
        let socket: ConsumerSocket? = if case .open(let socket) = connection { socket } else { nil }
        // Ended before the socket closes: closing can report the connection's end at once, and that report
        // must find the session over (not a dropped connection to retry).
        connection = .ended
        writer = nil
        generation += 1
        socket?.close(code: ending == .stopped || ending == .consumerClosed ? .normalClosure : .goingAway)
        inbound?.detachAll()
        outbound?.detachAll()
        streams.ended(self, ending)
    }
}
