import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Resolves host names for the egress guard's early check, caching answers briefly so a burst of
/// deliveries to one host costs one lookup. The early check only spares refused hosts a connection: the
/// address actually connected to is checked again by ``EgressHTTPClient``, whatever this returned.
final class HostResolver: Sendable {
    typealias Lookup = @Sendable (String) async throws -> [IPAddress]

    private struct Entry {
        var addresses: [IPAddress]
        var expires: ContinuousClock.Instant
    }

    private let lookup: Lookup
    private let timeToLive: Duration
    private let capacity: Int
    private let cache = Mutex<[String: Entry]>([:])

    init(timeToLive: Duration = .seconds(30), capacity: Int = 256, lookup: @escaping Lookup = HostResolver.system) {
        self.lookup = lookup
        self.timeToLive = timeToLive
        self.capacity = capacity
    }

    /// Every address `host` resolves to. Failures are not cached: the next call asks again.
    func resolve(_ host: String) async throws -> [IPAddress] {
        let now = ContinuousClock.now
        if let cached = cache.withLock({ $0[host] }), cached.expires > now { return cached.addresses }
        let addresses = try await lookup(host)
        let entry = Entry(addresses: addresses, expires: ContinuousClock.now + timeToLive)
        cache.withLock { cache in
            if cache.count >= capacity, cache[host] == nil {
                cache = cache.filter { $0.value.expires > now }
                // Still full of live entries: drop the one closest to expiring.
                if cache.count >= capacity, let oldest = cache.min(by: { $0.value.expires < $1.value.expires }) {
                    cache[oldest.key] = nil
                }
            }
            cache[host] = entry
        }
        return addresses
    }

    /// `getaddrinfo` on NIO's blocking-I/O thread pool, so neither an event loop nor a Swift concurrency
    /// thread waits on DNS.
    static let system: Lookup = { host in
        try await NIOThreadPool.singleton.runIfActive { try getaddrinfo(host) }
    }

    private static func getaddrinfo(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc) || canImport(Musl)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = Foundation.getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else { throw ResolutionError(message: String(cString: gai_strerror(status))) }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var next = list
        while let info = next?.pointee {
            next = info.ai_next
            guard let address = info.ai_addr.flatMap(Self.address) else { continue }
            if !addresses.contains(address) { addresses.append(address) }
        }
        guard !addresses.isEmpty else { throw ResolutionError(message: "no IPv4 or IPv6 address") }
        return addresses
    }

    private static func address(_ socketAddress: UnsafeMutablePointer<sockaddr>) -> IPAddress? {
        switch Int32(socketAddress.pointee.sa_family) {
        case AF_INET:
            socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { IPAddress(SocketAddress($0.pointee, host: "")) }
        case AF_INET6:
            socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { IPAddress(SocketAddress($0.pointee, host: "")) }
        default: nil
        }
    }
}

/// A host name did not resolve; `message` is the resolver's (and never names the URL).
struct ResolutionError: Error, CustomStringConvertible {
    var message: String
    var description: String { "the host name did not resolve: \(message)" }
}

extension IPAddress {
    /// The address of an IPv4 or IPv6 socket address; nil for a Unix domain socket.
    init?(_ socketAddress: SocketAddress) {
        switch socketAddress {
        case .v4(let socket): self = .v4(UInt32(bigEndian: socket.address.sin_addr.s_addr))
        case .v6(let socket):
            self = withUnsafeBytes(of: socket.address.sin6_addr) { .v6($0.reduce(0) { $0 << 8 | UInt128($1) }) }
        case .unixDomainSocket: return nil
        }
    }
}
