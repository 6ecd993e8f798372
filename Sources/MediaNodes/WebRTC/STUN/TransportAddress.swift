/// Where a datagram or TCP connection comes from or goes to: transport, IP address (4 or 16 bytes)
/// and port. The ICE agent tracks consent per address and the transport keys its peers by it.
struct TransportAddress: Hashable, Sendable, CustomStringConvertible {
    /// The transport protocol of a candidate or a five-tuple.
    enum Transport: String, Hashable, Sendable {
        case udp
        case tcp
    }

    var transport: Transport
    /// 4 bytes for IPv4, 16 for IPv6, network order.
    var ip: [UInt8]
    var port: UInt16

    /// An address from raw parts; `ip` should be 4 or 16 bytes.
    init(transport: Transport, ip: [UInt8], port: UInt16) {
        self.transport = transport
        self.ip = ip
        self.port = port
    }

    /// An address from an IP literal ("192.0.2.1", "2001:db8::1"); nil for anything else, hostnames included.
    init?(transport: Transport, host: String, port: UInt16) {
        guard let ip = IPAddressText.parse(host) else { return nil }
        self.init(transport: transport, ip: ip, port: port)
    }

    /// Whether the address is IPv4.
    var isIPv4: Bool { ip.count == 4 }

    /// The IP address as text, IPv6 in the RFC 5952 canonical form.
    var host: String { IPAddressText.format(ip) }

    /// "udp 192.0.2.1:3478" or "tcp [2001:db8::1]:443".
    var description: String {
        isIPv4 ? "\(transport.rawValue) \(host):\(port)" : "\(transport.rawValue) [\(host)]:\(port)"
    }
}
