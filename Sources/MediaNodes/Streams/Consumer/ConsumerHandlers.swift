import NIOCore
import NIOHTTP1
import NIOWebSocket
import Platform

/// The upgrade request for a consumer URL: its path and query, its Host, and the signature.
struct UpgradeRequest: Sendable {
    var target: EgressTarget
    /// Path and query as the URL has them (`/` when it has no path); the fragment is not sent.
    var requestTarget: String
    var host: String
    var signature: String

    init(url: String, target: EgressTarget, signature: String) {
        self.target = target
        self.signature = signature
        let afterScheme = url.range(of: "://").map { url[$0.upperBound...] } ?? Substring(url)
        let authorityEnd = afterScheme.firstIndex { "/?#".contains($0) } ?? afterScheme.endIndex
        host = String(afterScheme[..<authorityEnd])
        let rest = afterScheme[authorityEnd...].prefix { $0 != "#" }
        requestTarget = rest.isEmpty ? "/" : rest.hasPrefix("?") ? "/" + rest : String(rest)
    }
}

/// Sends the upgrade request once connected and reports a refused handshake; removed after the upgrade.
final class UpgradeInitiator: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart
    static let name = "parley-consumer-upgrade"

    private let request: UpgradeRequest
    private let upgraded: EventLoopPromise<Channel>

    init(request: UpgradeRequest, upgraded: EventLoopPromise<Channel>) {
        self.request = request
        self.upgraded = upgraded
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: request.host)
        headers.add(name: "User-Agent", value: "Parley-MediaStreams/1.0")
        headers.add(name: "X-Twilio-Signature", value: request.signature)
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: request.requestTarget, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    /// A response that reaches here was not an upgrade.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            upgraded.fail(ConsumerSocketError.handshakeRefused("HTTP \(head.status.code) \(head.status.reasonPhrase)"))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        upgraded.fail(ConsumerSocketError.handshakeRefused("\(error)"))
        context.close(promise: nil)
    }
}

/// Reads the consumer's frames after the upgrade: answers pings, reports messages and the end.
final class ConsumerFrameHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let events: (ConsumerSocketEvent) -> Void
    private var ended = false
    private var failure: String?

    init(events: @escaping (ConsumerSocketEvent) -> Void) {
        self.events = events
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text: events(.text(frame.unmaskedData))
        case .binary: events(.binary(frame.unmaskedData))
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            guard !ended else { return }
            ended = true
            events(.closedByConsumer)
            // Echo the close (RFC 6455 §5.5.1), then hang up.
            let reply = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in context.close(promise: nil) }
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failure = "\(error)"
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !ended {
            ended = true
            events(.dropped(failure ?? "the connection closed without a WebSocket close"))
        }
        context.fireChannelInactive()
    }
}
