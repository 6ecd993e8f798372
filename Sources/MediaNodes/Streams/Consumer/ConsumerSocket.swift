import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import Platform

/// What a consumer's WebSocket reports, on the engine's event loop.
enum ConsumerSocketEvent {
    case text(ByteBuffer)
    case binary(ByteBuffer)
    /// The consumer closed the WebSocket (a close frame): the stream ends, with no retry.
    case closedByConsumer
    /// The connection broke without a close frame: the stream may retry.
    case dropped(String)
}

/// A WebSocket client connection to a stream's consumer, confined to the media engine's event loop, so the
/// 20 ms clock writes frames straight into it with no hop. Writes are bounded: once more than
/// `maximumPendingBytes` wait for the socket (NIO's high write-buffer water mark), ``send(_:opcode:essential:)``
/// refuses (the caller counts a dropped frame) until half of that has drained, so a consumer that stops
/// reading costs a fixed amount of memory and never slows anyone else.
final class ConsumerSocket {
    private let channel: Channel
    private let outlet: EncodedFrameOutlet
    private var maskingKeys = MaskingKeys()
    private var closing = false

    private init(channel: Channel, outlet: EncodedFrameOutlet) {
        self.channel = channel
        self.outlet = outlet
    }

    /// Connects to `address` (already egress-checked), sends the upgrade request for `url` with
    /// `X-Twilio-Signature: signature`, and completes once the consumer has accepted the WebSocket.
    /// `onEvent` is called on `loop` for every message and for the end of the connection.
    static func connect(
        url: String, target: EgressTarget, address: SocketAddress, signature: String, loop: EventLoop,
        maximumPendingBytes: Int, onEvent: @escaping (ConsumerSocketEvent) -> Void
    ) -> EventLoopFuture<ConsumerSocket> {
        let upgraded = loop.makePromise(of: Channel.self)
        let events = NIOLoopBound(onEvent, eventLoop: loop)
        let request = UpgradeRequest(url: url, target: target, signature: signature)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(.seconds(5))
            // A small send buffer: a consumer that stops reading fills it in about two seconds of audio,
            // and the bounded queue above it starts dropping, instead of megabytes of stale audio piling up.
            .channelOption(.socketOption(.so_sndbuf), value: 32 * 1024)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.writeBufferWaterMark, value: .init(low: maximumPendingBytes / 2, high: maximumPendingBytes))
            .channelInitializer { channel in
                do {
                    try Self.configure(channel, request: request, upgraded: upgraded, events: events)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        let connected = bootstrap.connect(to: address)
        connected.whenFailure { upgraded.fail($0) }
        connected.whenSuccess { channel in
            channel.closeFuture.whenComplete { _ in upgraded.fail(ConsumerSocketError.closedDuringHandshake) }
        }
        return upgraded.futureResult.flatMapThrowing { channel in
            let outlet = try channel.pipeline.syncOperations.handler(type: EncodedFrameOutlet.self)
            return ConsumerSocket(channel: channel, outlet: outlet)
        }
    }

    private static func configure(
        _ channel: Channel, request: UpgradeRequest, upgraded: EventLoopPromise<Channel>,
        events: NIOLoopBound<(ConsumerSocketEvent) -> Void>
    ) throws {
        let pipeline = channel.pipeline.syncOperations
        if request.target.scheme == "wss" {
            let context = try ConsumerTLS.context.get()
            let serverName = IPAddress(request.target.host) == nil ? request.target.host : nil
            try pipeline.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
        }
        let initiator = UpgradeInitiator(request: request, upgraded: upgraded)
        let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 1 << 20, automaticErrorHandling: true) { channel, _ in
            do {
                let pipeline = channel.pipeline.syncOperations
                // Below the frame encoder: what it writes, and passes on, is already encoded.
                try pipeline.addHandler(EncodedFrameOutlet(), position: .before(pipeline.handler(type: WebSocketFrameEncoder.self)))
                try pipeline.addHandlers([
                    NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 64, maxAccumulatedFrameSize: 1 << 20),
                    ConsumerFrameHandler(events: events.value),
                ])
                upgraded.succeed(channel)
                return channel.eventLoop.makeSucceededVoidFuture()
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }
        try pipeline.addHTTPClientHandlers(withClientUpgrade: (upgraders: [upgrader], completionHandler: { context in
            context.pipeline.removeHandler(name: UpgradeInitiator.name, promise: nil)
        }))
        try pipeline.addHandler(initiator, name: UpgradeInitiator.name)
    }

    /// Writes one frame of `payload` and flushes it; false (nothing written) while the consumer is more than
    /// the bound behind, unless the frame is `essential` (protocol messages and marks are never dropped).
    @discardableResult
    func send(_ payload: [UInt8], opcode: WebSocketOpcode, essential: Bool = false) -> Bool {
        guard !closing, channel.isActive, essential || channel.isWritable else { return false }
        var frame = channel.allocator.buffer(capacity: ClientFrame.encodedCount(payloadCount: payload.count))
        payload.withUnsafeBytes { ClientFrame.write($0, opcode: opcode, maskKey: maskingKeys.nextKey(), into: &frame) }
        outlet.writeAndFlush(frame)
        return true
    }

    /// Sends a close frame (after anything already queued) and closes the connection.
    func close(code: WebSocketErrorCode = .normalClosure) {
        guard !closing else { return }
        closing = true
        var data = channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: data)
        let channel = self.channel
        channel.writeAndFlush(frame).whenComplete { _ in channel.close(promise: nil) }
        // A consumer that never answers the close must not hold the connection open.
        channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
    }
}

/// Sits just below the WebSocket frame encoder and lets ``ConsumerSocket`` write frames it encoded itself
/// (``ClientFrame``) from there; in order with the encoder's, as both write on the channel's loop.
final class EncodedFrameOutlet: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func writeAndFlush(_ frame: ByteBuffer) {
        context?.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }
}

enum ConsumerSocketError: Error, CustomStringConvertible {
    case closedDuringHandshake
    case handshakeRefused(String)

    var description: String {
        switch self {
        case .closedDuringHandshake: "the consumer closed the connection during the WebSocket handshake"
        case .handshakeRefused(let reason): "the consumer refused the WebSocket upgrade: \(reason)"
        }
    }
}

/// The client TLS configuration for `wss://` consumers: system trust roots, full verification.
enum ConsumerTLS {
    static let context: Result<NIOSSLContext, any Error> = Result {
        try NIOSSLContext(configuration: .makeClientConfiguration())
    }
}
