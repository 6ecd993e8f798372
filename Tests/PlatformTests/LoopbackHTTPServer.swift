import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A scripted HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for outbound-client tests. It answers
/// requests with `replies` in order (then with `fallback`) and records what it received: connections,
/// raw bytes and parsed requests.
final class LoopbackHTTPServer: Sendable {
    enum Reply: Sendable {
        case respond(status: Int, headers: [(String, String)] = [], body: [UInt8] = [])
        /// Never answers; the connection stays open until the client gives up.
        case hang
    }

    struct ReceivedRequest: Sendable {
        var method: String
        var uri: String
        var headers: [(String, String)]
        var body: [UInt8]

        /// The first value of header `name` (case-insensitive).
        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    let port: Int
    private let channel: any Channel
    private let recorder: Recorder

    private init(channel: any Channel, recorder: Recorder) {
        self.channel = channel
        self.port = channel.localAddress!.port!
        self.recorder = recorder
    }

    static func start(replies: [Reply] = [], fallback: Reply = .respond(status: 200)) async throws -> LoopbackHTTPServer {
        let recorder = Recorder(replies: replies, fallback: fallback)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    recorder.opened(child)
                    try child.pipeline.syncOperations.addHandler(ByteCounter(recorder: recorder))
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    try child.pipeline.syncOperations.addHandler(RequestHandler(recorder: recorder))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return LoopbackHTTPServer(channel: channel, recorder: recorder)
    }

    /// Connections accepted so far.
    var connections: Int { recorder.state.withLock { $0.connections } }
    /// Connections accepted and not yet closed.
    var openConnections: Int { recorder.state.withLock { $0.openConnections } }
    /// Bytes received on all connections, before any parsing.
    var bytesReceived: Int { recorder.state.withLock { $0.bytesReceived } }
    /// Complete requests received, in order.
    var requests: [ReceivedRequest] { recorder.state.withLock { $0.requests } }

    /// Stops listening and closes every connection still open.
    func shutdown() async throws {
        try await channel.close()
        for child in recorder.state.withLock({ $0.children }) { try? await child.close() }
    }
}

private final class Recorder: Sendable {
    struct State {
        var connections = 0
        var openConnections = 0
        var bytesReceived = 0
        var requests: [LoopbackHTTPServer.ReceivedRequest] = []
        var replies: [LoopbackHTTPServer.Reply]
        var children: [any Channel] = []
    }

    let state: Mutex<State>
    let fallback: LoopbackHTTPServer.Reply

    init(replies: [LoopbackHTTPServer.Reply], fallback: LoopbackHTTPServer.Reply) {
        state = Mutex(State(replies: replies))
        self.fallback = fallback
    }

    func opened(_ channel: any Channel) {
        state.withLock {
            $0.connections += 1
            $0.openConnections += 1
            $0.children.append(channel)
        }
        channel.closeFuture.whenComplete { _ in self.state.withLock { $0.openConnections -= 1 } }
    }

    /// Records `request` and returns the reply it gets.
    func received(_ request: LoopbackHTTPServer.ReceivedRequest) -> LoopbackHTTPServer.Reply {
        state.withLock {
            $0.requests.append(request)
            return $0.replies.isEmpty ? fallback : $0.replies.removeFirst()
        }
    }
}

/// Counts raw bytes as they arrive, before the HTTP decoder.
private final class ByteCounter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    let recorder: Recorder

    init(recorder: Recorder) { self.recorder = recorder }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = unwrapInboundIn(data).readableBytes
        recorder.state.withLock { $0.bytesReceived += count }
        context.fireChannelRead(data)
    }
}

private final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let recorder: Recorder
    private var request: LoopbackHTTPServer.ReceivedRequest?

    init(recorder: Recorder) { self.recorder = recorder }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = .init(method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: [])
        case .body(let buffer):
            request?.body += buffer.readableBytesView
        case .end:
            guard let request else { return }
            self.request = nil
            guard case .respond(let status, let headers, let body) = recorder.received(request) else { return }
            var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status))
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            head.headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
