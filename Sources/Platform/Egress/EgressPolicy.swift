import Foundation

/// The one gate every outbound request passes (webhooks, flow HTTP widgets, media stream URLs). It
/// refuses the machine's own and its neighbours' networks — loopback, private, link-local with the cloud
/// metadata service, CGNAT, multicast, reserved — so a URL someone else configured cannot reach them.
///
/// Two steps: ``checkURL(_:)`` when a URL is configured or used (bad URLs, and IP literals in a refused
/// range, fail at once), then ``check(_:)`` on every address a hostname resolves to, just before
/// connecting to exactly that address: a name may resolve anywhere, and differently the next time.
///
/// Operators whose webhooks do live inside their network allowlist ranges with `--egress-allow` /
/// `PARLEY_EGRESS_ALLOW`; an allowlisted range wins over every built-in refusal.
public struct EgressPolicy: Sendable {
    /// Comma-separated CIDR ranges to allow, e.g. `10.20.0.0/16,fd00::/8`.
    public static let environmentVariable = "PARLEY_EGRESS_ALLOW"

    /// Longest wait for a TCP (and TLS) connection.
    public static let defaultConnectTimeout: Duration = .seconds(5)
    /// Longest a whole request may take, connecting through reading the response.
    public static let defaultTotalTimeout: Duration = .seconds(15)
    /// Largest response body read; the rest is dropped (a webhook answer is small, TwiML included).
    public static let defaultMaximumResponseBytes = 1 << 20

    /// A block refused unless allowlisted, and why it is special.
    public struct RefusedRange: Sendable, CustomStringConvertible {
        public let range: IPAddressRange
        public let purpose: String

        public var description: String { "\(range) (\(purpose))" }
    }

    /// The built-in refusals (RFC 6890 special-purpose blocks that are not the public internet).
    /// Checked in order; the first match names the refusal.
    public static let refusedRanges: [RefusedRange] = [
        refused("0.0.0.0/8", "\"this network\"; connecting to 0.0.0.0 reaches the local host"),
        refused("10.0.0.0/8", "private network"),
        refused("100.64.0.0/10", "carrier-grade NAT shared space"),
        refused("127.0.0.0/8", "loopback"),
        refused("169.254.0.0/16", "link-local, including the cloud metadata service 169.254.169.254"),
        refused("172.16.0.0/12", "private network"),
        refused("192.0.0.0/24", "IETF protocol assignments"),
        refused("192.168.0.0/16", "private network"),
        refused("198.18.0.0/15", "network benchmarking"),
        refused("224.0.0.0/4", "multicast"),
        refused("240.0.0.0/4", "reserved, including the broadcast address 255.255.255.255"),
        refused("::/128", "unspecified address; connecting to it reaches the local host"),
        refused("::1/128", "loopback"),
        refused("::/96", "deprecated IPv4-compatible addresses"),
        refused("64:ff9b:1::/48", "local-use IPv4/IPv6 translation"),
        refused("fc00::/7", "unique local addresses (private network)"),
        refused("fe80::/10", "link-local"),
        refused("ff00::/8", "multicast"),
    ]

    /// Well-known NAT64 prefix: `64:ff9b::a.b.c.d` is translated to IPv4 a.b.c.d.
    static let nat64 = refused("64:ff9b::/96", "NAT64")
    /// 6to4: `2002:AABB:CCDD::/48` is tunnelled to IPv4 AA.BB.CC.DD.
    static let sixToFour = refused("2002::/16", "6to4")

    /// Ranges allowed in spite of the built-in refusals.
    public let allowed: [IPAddressRange]

    public init(allowing allowed: [IPAddressRange] = []) {
        self.allowed = allowed
    }

    /// A policy allowing the comma-separated ranges in `text` (spaces around entries are ignored; an
    /// empty text allows nothing extra).
    public static func parse(_ text: String) throws -> EgressPolicy {
        let entries = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return EgressPolicy(allowing: try entries.filter { !$0.isEmpty }.map(IPAddressRange.init))
    }

    /// The policy `PARLEY_EGRESS_ALLOW` describes (none set: the built-in refusals only).
    public static func fromEnvironment(_ environment: [String: String]) throws -> EgressPolicy {
        try parse(environment[environmentVariable] ?? "")
    }

    /// Whether a connection to `address` may be made.
    public func check(_ address: IPAddress) -> EgressDecision {
        let address = address.unmapped
        if allowed.contains(where: { $0.contains(address) }) { return .allowed }
        // Translation prefixes deliver to the IPv4 address they carry: that address decides. Refusing
        // NAT64 wholesale would cut IPv6-only hosts (DNS64 answers with it) off the IPv4 internet.
        if case .v6(let value) = address {
            for (prefix, embedded) in [(Self.nat64, value), (Self.sixToFour, value >> 80)] where prefix.range.contains(address) {
                let target = IPAddress.v4(UInt32(truncatingIfNeeded: embedded))
                guard case .refused(let reason) = check(target) else { return .allowed }
                return .refused(reason: "\(prefix) delivers to \(target), in \(reason)")
            }
        }
        if let refusal = Self.refusedRanges.first(where: { $0.range.contains(address) }) {
            return .refused(reason: refusal.description)
        }
        return .allowed
    }

    /// Validates an outbound URL: scheme `http`, `https`, `ws` or `wss`, a host, no credentials, a port
    /// from 1 to 65535. A host that is an IP literal (`10.0.0.1`, `[::1]`) is checked now; a hostname is
    /// the caller's to resolve and ``check(_:)`` address by address. Connect to the returned host and
    /// port, never to a second parse of the URL, so what was checked is what is reached.
    public func checkURL(_ url: String) throws -> EgressTarget {
        // Whitespace and control characters split or smuggle requests in lenient clients.
        guard !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f }) else {
            throw EgressError.invalidURL("the URL contains whitespace or control characters")
        }
        guard let separator = url.range(of: "://") else {
            throw EgressError.invalidURL("expected scheme://host[:port][/path]")
        }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard let defaultPort = ["http": 80, "ws": 80, "https": 443, "wss": 443][scheme] else {
            throw EgressError.invalidURL("the scheme must be http, https, ws or wss")
        }
        let rest = url[separator.upperBound...]
        let authority = rest.prefix { !"/?#".contains($0) }
        guard authority.allSatisfy(\.isASCII) else {
            throw EgressError.invalidURL("the host must be ASCII (write international names in their xn-- form)")
        }
        guard !authority.contains("\\") else {
            throw EgressError.invalidURL("backslash in the host (clients disagree on what it means)")
        }
        guard !authority.contains("@") else {
            throw EgressError.invalidURL("credentials in the URL (user:password@) are not allowed")
        }
        let (host, portText) = try Self.splitHostAndPort(authority)
        let port = try portText.map(Self.port) ?? defaultPort
        if let address = IPAddress(host) {
            if case .refused(let reason) = check(address) { throw EgressError.refused(address, reason: reason) }
        } else {
            try Self.validateHostname(host)
        }
        return EgressTarget(scheme: scheme, host: host.lowercased(), port: port)
    }

    private static func refused(_ range: String, _ purpose: String) -> RefusedRange {
        // Only the literals above, each parsed by the tests.
        RefusedRange(range: try! IPAddressRange(range), purpose: purpose)
    }

    /// `host[:port]` or `[v6][:port]`; the host comes back without brackets.
    private static func splitHostAndPort(_ authority: Substring) throws -> (String, Substring?) {
        if authority.hasPrefix("[") {
            let inside = authority.dropFirst().prefix { $0 != "]" }
            guard case .v6? = IPAddress(String(inside)), inside.endIndex < authority.endIndex else {
                throw EgressError.invalidURL("a bracketed host must be an IPv6 address")
            }
            let after = authority[authority.index(after: inside.endIndex)...]
            if after.isEmpty { return (String(inside), nil) }
            guard after.hasPrefix(":") else { throw EgressError.invalidURL("unexpected text after the IPv6 address") }
            return (String(inside), after.dropFirst())
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw EgressError.invalidURL("an IPv6 host must be in brackets: http://[::1]:8080/") }
        guard !parts[0].isEmpty else { throw EgressError.invalidURL("the URL names no host") }
        return (String(parts[0]), parts.count == 2 ? parts[1] : nil)
    }

    private static func port(_ text: Substring) throws -> Int {
        guard (1...5).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(text), (1...65535).contains(port)
        else { throw EgressError.invalidURL("the port must be a number from 1 to 65535") }
        return port
    }

    /// DNS names only: letters, digits, `-`, `_`, labels of 1 to 63 characters, an optional final dot.
    private static func validateHostname(_ host: String) throws {
        var labels = host.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count > 1, labels.last == "" { labels.removeLast() }
        guard host.utf8.count <= 254,
            labels.allSatisfy({ (1...63).contains($0.count) && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } })
        else { throw EgressError.invalidURL("\"\(host)\" is not a valid hostname") }
        // A name ending in a number is an IPv4 address to resolvers and browsers (`127.1`, `0x7f.1`,
        // `2130706433`, `127.0.0.1.`): refuse the spelling rather than guess what it reaches.
        let last = labels[labels.count - 1].lowercased()
        if last.allSatisfy(\.isNumber) || (last.hasPrefix("0x") && last.dropFirst(2).allSatisfy(\.isHexDigit)) {
            throw EgressError.invalidURL("\"\(host)\" looks like an IPv4 address; write it as four decimal numbers (a.b.c.d)")
        }
    }
}

/// The verdict on one address.
public enum EgressDecision: Sendable, Equatable {
    case allowed
    /// `reason` names the refused range and why it is special.
    case refused(reason: String)
}

/// Where a checked URL goes: connect here. Also the circuit breakers' key.
public struct EgressTarget: Sendable, Hashable {
    /// `http`, `https`, `ws` or `wss`, lowercase.
    public var scheme: String
    /// A lowercase hostname, or an IP address without brackets.
    public var host: String
    /// The URL's port, or the scheme's default.
    public var port: Int

    public init(scheme: String, host: String, port: Int) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }
}

public enum EgressError: Error, Equatable, CustomStringConvertible {
    /// The URL cannot be used for an outbound request. The reason never repeats the URL, which may
    /// carry secrets.
    case invalidURL(String)
    /// The address is in a refused range that no allowlist entry covers.
    case refused(IPAddress, reason: String)

    public var description: String {
        switch self {
        case .invalidURL(let reason): "invalid outbound URL: \(reason)"
        case .refused(let address, let reason):
            "outbound requests to \(address) are refused: \(reason) (operators can allow it with --egress-allow)"
        }
    }
}
