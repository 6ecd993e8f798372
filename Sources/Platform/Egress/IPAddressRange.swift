import Foundation

/// An IPv4 or IPv6 address: what the egress guard classifies.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// `10.0.0.1` is `.v4(0x0A00_0001)`.
    case v4(UInt32)
    /// `2001:db8::1` is `.v6(0x2001_0db8_0000_0000_0000_0000_0000_0001)`.
    case v6(UInt128)

    /// Parses what `inet_pton` accepts: IPv4 as four decimal parts, or IPv6 (`::1`, `::ffff:1.2.3.4`),
    /// without brackets or a zone (`%eth0`). The legacy IPv4 spellings `inet_aton` and browsers also take
    /// (`127.1`, `0x7f.0.0.1`, `2130706433`) are not addresses here.
    public init?(_ text: String) {
        // C strings end at the first NUL: "127.0.0.1\0.example.com" must not parse as 127.0.0.1.
        guard !text.utf8.contains(0) else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self = .v4(UInt32(bigEndian: v4.s_addr))
            return
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        guard bytes.withUnsafeMutableBytes({ inet_pton(AF_INET6, text, $0.baseAddress) }) == 1 else { return nil }
        self = .v6(bytes.reduce(0) { $0 << 8 | UInt128($1) })
    }

    /// The IPv4 address an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) stands for — a socket connecting
    /// to one reaches that IPv4 host — and any other address as it is.
    public var unmapped: IPAddress {
        if case .v6(let value) = self, value >> 32 == 0xffff { return .v4(UInt32(truncatingIfNeeded: value)) }
        return self
    }

    var bitWidth: Int {
        switch self {
        case .v4: 32
        case .v6: 128
        }
    }

    /// The address with all but the first `prefixLength` bits cleared.
    func masked(to prefixLength: Int) -> IPAddress {
        // Smart shifts: shifting by the full width gives zero, so /0 and /32 (/128) need no special case.
        switch self {
        case .v4(let value): .v4(value & ~(UInt32.max >> prefixLength))
        case .v6(let value): .v6(value & ~(UInt128.max >> prefixLength))
        }
    }

    public var description: String {
        switch self {
        case .v4(let value):
            return [24, 16, 8, 0].map { String(value >> $0 & 0xff) }.joined(separator: ".")
        case .v6(let value):
            var bytes = [120, 112, 104, 96, 88, 80, 72, 64, 56, 48, 40, 32, 24, 16, 8, 0].map {
                UInt8(truncatingIfNeeded: value >> $0)
            }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            inet_ntop(AF_INET6, &bytes, &text, socklen_t(text.count))
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}

/// A block of addresses in CIDR notation (`10.0.0.0/8`, `fd00::/8`); a bare address is a block of one
/// (`/32`, `/128`).
public struct IPAddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The block's first address (every bit after the prefix is zero).
    public let network: IPAddress
    public let prefixLength: Int

    /// Parses `address/prefix`. Bits set after the prefix (`10.1.2.3/8`) are an error rather than
    /// silently cleared: in an allowlist a typo must not widen what is let through.
    public init(_ text: String) throws {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else {
            throw IPAddressRangeError(text: text, reason: "\"\(parts[0])\" is not an IPv4 or IPv6 address")
        }
        var length = address.bitWidth
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...3).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(digits), value <= address.bitWidth
            else {
                let family = address.bitWidth == 32 ? "IPv4" : "IPv6"
                throw IPAddressRangeError(text: text, reason: "the prefix length of an \(family) range is 0 to \(address.bitWidth)")
            }
            length = value
        }
        let network = address.masked(to: length)
        guard network == address else {
            throw IPAddressRangeError(text: text, reason: "bits are set after the /\(length) prefix (did you mean \(network)/\(length)?)")
        }
        self.network = network
        self.prefixLength = length
    }

    /// Whether `address` lies in the block. IPv4-mapped IPv6 addresses count as the IPv4 address they
    /// map, and IPv4 addresses as their mapped form when the block is IPv6 (`::ffff:10.0.0.0/104`
    /// holds 10.0.0.1), so either spelling matches either kind of block.
    public func contains(_ address: IPAddress) -> Bool {
        let candidate: IPAddress
        switch (network, address.unmapped) {
        case (.v4, .v4(let value)): candidate = .v4(value)
        case (.v6, .v6(let value)): candidate = .v6(value)
        case (.v6, .v4(let value)): candidate = .v6(0xffff << 32 | UInt128(value))
        case (.v4, .v6): return false
        }
        return candidate.masked(to: prefixLength) == network
    }

    public var description: String { "\(network)/\(prefixLength)" }
}

public struct IPAddressRangeError: Error, Equatable, CustomStringConvertible {
    /// The text that failed to parse.
    public var text: String
    public var reason: String

    public var description: String { "invalid IP range \"\(text)\": \(reason)" }
}
