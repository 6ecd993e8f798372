import NIOCore

/// Where a peer's packets leave: the node's UDP socket towards an address, or the peer's own ICE-TCP
/// connection (RFC 6544, each packet framed per RFC 4571).
enum MediaSink {
    case udp(SocketAddress)
    case tcp(Channel)
}

extension TransportAddress {
    /// The ICE view of a socket address (`nil` for Unix sockets).
    init?(_ address: SocketAddress, transport: Transport) {
        guard let port = address.port else { return nil }
        switch address {
        case .v4(let v4):
            let ip = withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
            self.init(transport: transport, ip: ip, port: UInt16(port))
        case .v6(let v6):
            let ip = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            self.init(transport: transport, ip: ip, port: UInt16(port))
        case .unixDomainSocket:
            return nil
        }
    }
}
