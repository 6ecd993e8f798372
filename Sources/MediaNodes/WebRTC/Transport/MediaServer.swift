import Logging
import NIOCore
import NIOPosix

/// The node's media sockets: one UDP port for every peer connection (demultiplexed by ICE ufrag, then by
/// address) and a passive ICE-TCP listener on the same port number for clients whose UDP is blocked. Both
/// are served by one event loop, the one the ``MediaRouter`` and everything behind it are confined to.
final class MediaServer: Sendable {
    let loop: EventLoop
    let port: Int
    /// The SDP candidate values clients are given (UDP host, then TCP passive).
    let candidates: [String]
    private let udp: Channel
    /// Datagrams read per system call, and the largest one accepted (a media datagram stays under the MTU).
    private static let vectorReadCount = 32
    private static let maximumDatagramSize = 2048
    private let tcp: Channel?

    private init(loop: EventLoop, port: Int, candidates: [String], udp: Channel, tcp: Channel?) {
        self.loop = loop
        self.port = port
        self.candidates = candidates
        self.udp = udp
        self.tcp = tcp
    }

    /// Binds `host:port` (0 picks a free port) for UDP and the same port for TCP; `advertisedIP` is the
    /// address put in the candidates (an IP literal: ICE has no names for host candidates).
    static func start(
        host: String, port: Int, advertisedIP: String, router: MediaRouter, logger: Logger
    ) async throws -> MediaServer {
        let loop = router.loop
        let udp = try await DatagramBootstrap(group: loop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.datagramVectorReadMessageCount, value: vectorReadCount)
            // Vector reads split this one buffer evenly between the datagrams of a batch.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: vectorReadCount * maximumDatagramSize))
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelOption(.socketOption(.so_sndbuf), value: 4 << 20)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(UDPMediaHandler(router: router)) }
            }
            .bind(host: host, port: port).get()
        let boundPort = udp.localAddress?.port ?? port
        try await loop.submit { router.attach(udp: udp) }.get()
        let tcp: Channel?
        do {
            tcp = try await ServerBootstrap(group: loop)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ICETCPHandler(router: router)) }
                }
                .bind(host: host, port: boundPort).get()
        } catch {
            // UDP still works; TCP fallback is best effort when the port number is taken for TCP.
            logger.warning("ICE-TCP listener not started", metadata: ["port": "\(boundPort)", "error": "\(error)"])
            tcp = nil
        }
        var candidates = [hostCandidate(foundation: "1", transport: .udp, address: advertisedIP, port: boundPort)]
        if tcp != nil { candidates.append(hostCandidate(foundation: "2", transport: .tcp, address: advertisedIP, port: boundPort)) }
        logger.info("media sockets bound", metadata: ["port": "\(boundPort)", "tcp": "\(tcp != nil)"])
        return MediaServer(loop: loop, port: boundPort, candidates: candidates, udp: udp, tcp: tcp)
    }

    /// A host candidate's SDP value; UDP is preferred over TCP (RFC 6544 §4.2 local preferences).
    private static func hostCandidate(foundation: String, transport: TransportAddress.Transport, address: String, port: Int) -> String {
        let localPreference: UInt16 = transport == .udp ? 65535 : 32767
        return ICECandidate(
            foundation: foundation, transport: transport, priority: ICECandidate.priority(kind: .host, localPreference: localPreference),
            address: address, port: UInt16(port), kind: .host, tcpType: transport == .tcp ? .passive : nil
        ).description
    }

    func stop() async {
        try? await udp.close()
        try? await tcp?.close()
    }
}
