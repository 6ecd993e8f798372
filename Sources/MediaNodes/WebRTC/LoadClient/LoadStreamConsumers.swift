import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The media stream consumers of a streams load run: one small WebSocket server on 127.0.0.1 that the
/// node connects to, one connection per stream (`ws://127.0.0.1:<port>/<stream index>`), all on one
/// event loop. Per message it does as little as it can, so that tens of thousands of messages a second
/// fit on one core: it takes the arrival time, unmasks at most the first 48 bytes to tell `media` from
/// the rest (the Twilio protocol's first two messages are `connected` and `start`) and to read its
/// `sequenceNumber`, and counts. Binary frames (`audio/x-l16` streams) count as media, without a number.
///
/// Inside the measuring window (``setWindow(start:end:)``) it records, per stream, the messages and the
/// sequence numbers seen, and for every two consecutive media messages of one stream both inside the
/// window the send jitter as the consumer sees it, |gap − 20 ms|. A 20 ms timer on the same loop records
/// its own lateness, which bounds how much of that jitter is the consumer's own scheduling.
///
/// `@unchecked Sendable`: every mutable field is touched only on `loop`; the methods hop onto it.
final class LoadStreamConsumers: @unchecked Sendable {
    static let framePeriodNanoseconds: Int64 = 20_000_000

    let loop: EventLoop
    private(set) var port = 0
    private var serverChannel: Channel?
    private var records: [Int: LoadStreamRecord] = [:]
    private var windowStart = UInt64.max
    private var windowEnd = UInt64.max
    /// |gap − 20 ms| in nanoseconds, for every in-window gap of every stream.
    private var jitters: [UInt32] = []
    /// How late the consumer loop's own 20 ms timer fired, in nanoseconds, inside the window.
    private var timerLateness: [UInt32] = []
    /// With ``recordArrivals()``: (stream index, arrival in uptime nanoseconds) of every in-window media message.
    private var arrivals: [(Int32, UInt64)]?
    private var openConnections = 0
    private var refusedPaths = 0
    /// TCP connections accepted, and those closed before their WebSocket upgrade completed here.
    private var accepted = 0
    private var closedBeforeUpgrade = 0
    /// Errors that closed a consumer connection, by description.
    private var errors: [String: Int] = [:]

    private init(loop: EventLoop) {
        self.loop = loop
    }

    /// Listens on `host`, port 0 (the kernel picks one), on one loop of `group`.
    static func start(group: EventLoopGroup, host: String = "127.0.0.1") async throws -> LoadStreamConsumers {
        let loop = group.next()
        let consumers = LoadStreamConsumers(loop: loop)
        let channel = try await ServerBootstrap(group: loop)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try consumers.configure(channel) }
            }
            .bind(host: host, port: 0).get()
        try await loop.submit {
            consumers.serverChannel = channel
            consumers.port = channel.localAddress?.port ?? 0
        }.get()
        return consumers
    }

    /// Expects streams `0..<count` (a connection for another path is refused) and reserves room for a
    /// window of `seconds`.
    func expect(streams count: Int, windowSeconds: Double) -> EventLoopFuture<Void> {
        loop.submit {
            for index in 0..<count where self.records[index] == nil { self.records[index] = LoadStreamRecord(index: index) }
            let gaps = Int(Double(count) * windowSeconds * 50 * 1.05)
            self.jitters.reserveCapacity(gaps)
            self.timerLateness.reserveCapacity(Int(windowSeconds * 50) + 16)
        }
    }

    /// How many streams have had their `start` (or, for binary streams, any message after it).
    func startedCount() -> EventLoopFuture<Int> {
        loop.submit { self.records.values.reduce(0) { $0 + ($1.started ? 1 : 0) } }
    }

    /// How many streams' consumers have had a `stop`, how many a close frame, and how many connections are open.
    func stopCounts() -> EventLoopFuture<(stopped: Int, closed: Int, open: Int)> {
        loop.submit {
            (
                self.records.values.reduce(0) { $0 + ($1.stops > 0 ? 1 : 0) }, self.records.values.reduce(0) { $0 + ($1.closeFrames > 0 ? 1 : 0) },
                self.openConnections
            )
        }
    }

    /// Open consumer connections.
    func connectionCount() -> EventLoopFuture<Int> {
        loop.submit { self.openConnections }
    }

    /// Sets the measuring window (uptime nanoseconds, as `NIODeadline.uptimeNanoseconds`) and starts the
    /// consumer's own 20 ms timer probe across it.
    func setWindow(start: NIODeadline, end: NIODeadline) -> EventLoopFuture<Void> {
        loop.submit {
            self.windowStart = start.uptimeNanoseconds
            self.windowEnd = end.uptimeNanoseconds
            self.scheduleProbe(tick: 0, epoch: start)
        }
    }

    /// Also keeps every in-window arrival, for ``writeArrivals(to:)``.
    func recordArrivals() -> EventLoopFuture<Void> {
        loop.submit { self.arrivals = [] }
    }

    /// Writes the recorded arrivals as text, one `stream-index arrival-nanoseconds` line each, in arrival order.
    func writeArrivals(to path: String) -> EventLoopFuture<Void> {
        loop.submit {
            var text = ""
            for (index, arrival) in self.arrivals ?? [] { text += "\(index) \(arrival)\n" }
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        }
    }

    /// What the consumers saw, per stream and in all.
    func results() -> EventLoopFuture<LoadStreamConsumerResults> {
        loop.submit {
            var jitters = self.jitters
            jitters.sort()
            var lateness = self.timerLateness
            lateness.sort()
            return LoadStreamConsumerResults(
                streams: self.records.values.sorted { $0.index < $1.index }.map(\.summary), jitters: jitters, timerLateness: lateness,
                refusedPaths: self.refusedPaths, errors: self.errors, accepted: self.accepted,
                closedBeforeUpgrade: self.closedBeforeUpgrade)
        }
    }

    func close() async {
        try? await loop.flatSubmit { self.serverChannel?.close() ?? self.loop.makeSucceededVoidFuture() }.get()
    }

    // MARK: Connections

    private func configure(_ channel: Channel) throws {
        accepted += 1
        let upgraded = NIOLoopBoundBox(false, eventLoop: channel.eventLoop)
        channel.closeFuture.whenComplete { _ in
            if !upgraded.value { self.closedBeforeUpgrade += 1 }
        }
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: 1 << 16, automaticErrorHandling: true,
            shouldUpgrade: { channel, head in
                channel.eventLoop.submit { self.record(forPath: head.uri) == nil ? nil : HTTPHeaders() }
            },
            upgradePipelineHandler: { channel, head in
                channel.eventLoop.makeCompletedFuture {
                    guard let record = self.record(forPath: head.uri) else { throw LoadGeneratorError("no stream for \(head.uri)") }
                    upgraded.value = true
                    try channel.pipeline.syncOperations.addHandler(LoadStreamConsumerHandler(consumers: self, record: record))
                }
            })
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
            withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
    }

    /// The stream a request path names (`/<index>`), on the loop.
    private func record(forPath path: String) -> LoadStreamRecord? {
        let digits = path.drop { $0 == "/" }.prefix { $0 != "?" && $0 != "/" }
        guard let index = Int(digits), let record = records[index] else {
            refusedPaths += 1
            return nil
        }
        return record
    }

    fileprivate func opened(_ record: LoadStreamRecord) {
        if record.connections > 0 {
            // Why the node connected again: the previous connection is still open, or ended after a `stop`
            // (the node stopped and restarted the stream), or without one.
            let previous = record.openHere > 0 ? "still open" : record.stops > 0 ? "closed after a stop" : "closed without a stop"
            failed(LoadGeneratorError("a stream's consumer reconnected (previous connection \(previous))"))
        }
        openConnections += 1
        record.openHere += 1
        record.connections += 1
        record.lastArrival = 0
    }

    fileprivate func failed(_ error: any Error) {
        errors["\(error)", default: 0] += 1
    }

    fileprivate func closed(_ record: LoadStreamRecord) {
        openConnections -= 1
        record.openHere -= 1
        record.lastArrival = 0
    }

    // MARK: Messages

    /// One media message (`sequence` nil for binary frames) of `record`'s stream, at `now`.
    fileprivate func media(_ record: LoadStreamRecord, sequence: Int?, at now: UInt64) {
        record.media += 1
        record.started = true
        if now >= windowStart, now < windowEnd {
            record.windowMedia += 1
            arrivals?.append((Int32(truncatingIfNeeded: record.index), now))
            let last = record.lastArrival
            if last != 0, last >= windowStart {
                let gap = Int64(bitPattern: now &- last)
                jitters.append(UInt32(clamping: abs(gap - Self.framePeriodNanoseconds)))
            }
            if let sequence {
                if record.firstSequence < 0 { record.firstSequence = sequence }
                if sequence > record.lastSequence { record.lastSequence = sequence } else { record.outOfOrder += 1 }
            }
        }
        record.lastArrival = now
    }

    fileprivate func text(_ frame: WebSocketFrame, record: LoadStreamRecord, at now: UInt64) {
        switch LoadStreamMessage.classify(frame) {
        case .media(let sequence): media(record, sequence: sequence, at: now)
        case .start: record.started = true
        case .stop: record.stops += 1
        case .connected, .mark, .other: break
        }
    }

    private func scheduleProbe(tick: Int64, epoch: NIODeadline) {
        let deadline = epoch + .nanoseconds(Self.framePeriodNanoseconds * tick)
        guard deadline.uptimeNanoseconds < windowEnd else { return }
        loop.scheduleTask(deadline: deadline) {
            let late = NIODeadline.now().uptimeNanoseconds &- deadline.uptimeNanoseconds
            self.timerLateness.append(UInt32(clamping: Int64(bitPattern: late)))
            self.scheduleProbe(tick: tick + 1, epoch: epoch)
        }
    }
}

/// One consumer connection after the upgrade: hands every frame to ``LoadStreamConsumers`` with its arrival
/// time, answers pings and echoes a close.
private final class LoadStreamConsumerHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let consumers: LoadStreamConsumers
    private let record: LoadStreamRecord
    private var isOpen = false
    private var closeSent = false

    init(consumers: LoadStreamConsumers, record: LoadStreamRecord) {
        self.consumers = consumers
        self.record = record
    }

    func handlerAdded(context: ChannelHandlerContext) {
        isOpen = true
        consumers.opened(record)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = NIODeadline.now().uptimeNanoseconds
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text: consumers.text(frame, record: record, at: now)
        case .binary: consumers.media(record, sequence: nil, at: now)
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            record.closeFrames += 1
            var payload = frame.unmaskedData
            let code = payload.readInteger(as: UInt16.self).map(String.init) ?? "none"
            if record.stops == 0 {
                consumers.failed(LoadGeneratorError("the node closed a connection before any stop (close code \(code))"))
            }
            guard !closeSent else { return context.close(promise: nil) }
            closeSent = true
            let reply = WebSocketFrame(fin: true, opcode: .connectionClose, data: frame.unmaskedData)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in channel.close(promise: nil) }
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !closeSent {
            consumers.failed(LoadGeneratorError("a connection closed without a close frame"))
        }
        if isOpen {
            isOpen = false
            consumers.closed(record)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        consumers.failed(error)
        context.close(promise: nil)
    }
}
