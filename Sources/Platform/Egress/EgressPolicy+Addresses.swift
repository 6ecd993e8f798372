import NIOCore

extension EgressPolicy {
    /// One resolver for connections that are not HTTP requests (media stream WebSockets).
    private static let resolver = HostResolver()

    /// The socket addresses a connection to `target` may use: its IP literal, or those of the addresses its
    /// host name resolves to that this policy allows. Connect to one of these, never to a second resolution of
    /// the name, and the check is authoritative (no DNS rebinding window). Throws ``EgressError/refused(_:reason:)``
    /// when every address is refused, or the resolver's error.
    public func permittedAddresses(of target: EgressTarget) async throws -> [SocketAddress] {
        let candidates: [IPAddress]
        if let literal = IPAddress(target.host) { candidates = [literal] } else { candidates = try await Self.resolver.resolve(target.host) }
        var permitted: [SocketAddress] = []
        var refusal: EgressError?
        for address in candidates {
            switch check(address) {
            case .allowed: permitted.append(try SocketAddress(ipAddress: address.description, port: target.port))
            case .refused(let reason): refusal = refusal ?? .refused(address, reason: reason)
            }
        }
        if permitted.isEmpty, let refusal { throw refusal }
        return permitted
    }
}
