import NIOCore

/// Feeds the node's UDP socket into the ``MediaRouter``; NIO reads datagrams in batches (vector reads), and
/// what the batch produced is flushed once at its end.
final class UDPMediaHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let router: MediaRouter

    init(router: MediaRouter) {
        self.router = router
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let address = TransportAddress(envelope.remoteAddress, transport: .udp) else { return }
        let bytes = Array(envelope.data.readableBytesView)
        router.receive(bytes, from: address, sink: .udp(envelope.remoteAddress), at: .now)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        router.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // ICMP errors (a peer went away) surface here; they must not close the node's only socket.
    }
}

/// One passive ICE-TCP connection (RFC 6544): RFC 4571 frames in, each handled like a datagram from the
/// connection's remote address.
final class ICETCPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let router: MediaRouter
    private var framer = RFC4571Framer()
    private var address: TransportAddress?

    init(router: MediaRouter) {
        self.router = router
    }

    func channelActive(context: ChannelHandlerContext) {
        address = context.remoteAddress.flatMap { TransportAddress($0, transport: .tcp) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let address else { return context.close(promise: nil) }
        let chunk = Array(unwrapInboundIn(data).readableBytesView)
        do {
            for frame in try framer.append(chunk) {
                router.receive(frame, from: address, sink: .tcp(context.channel), at: .now)
            }
        } catch {
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        router.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let address { router.tcpConnectionClosed(from: address) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
