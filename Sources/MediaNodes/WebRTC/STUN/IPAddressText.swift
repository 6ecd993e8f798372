/// IP address literals to bytes and back, without Foundation or the C library (candidates and logs
/// need them; the fuzzers compile this file alone).
enum IPAddressText {
    /// "192.0.2.1" or RFC 5952 IPv6 ("2001:db8::1"); other lengths as hex bytes.
    static func format(_ ip: [UInt8]) -> String {
        switch ip.count {
        case 4: return ip.map(String.init).joined(separator: ".")
        case 16: return formatIPv6(ip)
        default: return ip.map { String($0, radix: 16) }.joined(separator: " ")
        }
    }

    /// The bytes of an IPv4 dotted quad or an IPv6 literal (with "::" and a trailing dotted quad);
    /// nil for anything else, zone ids ("%eth0") included.
    static func parse(_ text: String) -> [UInt8]? {
        text.contains(":") ? parseIPv6(Substring(text)) : parseIPv4(Substring(text))
    }

    /// Four decimal octets without leading "+" or signs; "01" is accepted like most stacks do.
    private static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                let octet = UInt8(part)
            else { return nil }
            bytes.append(octet)
        }
        return bytes
    }

    /// Eight 16-bit hex groups, a single "::" standing for one or more zero groups, and optionally a
    /// dotted quad as the last 32 bits.
    private static func parseIPv6(_ text: Substring) -> [UInt8]? {
        let halves = text.split(separator: "::", maxSplits: 2, omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        guard let head = parseGroups(halves[0], mayEndWithIPv4: halves.count == 1) else { return nil }
        if halves.count == 1 {
            return head.count == 16 ? head : nil
        }
        guard let tail = parseGroups(halves[1], mayEndWithIPv4: true), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    /// Colon-separated hex groups (empty text: none) as bytes.
    private static func parseGroups(_ text: Substring, mayEndWithIPv4: Bool) -> [UInt8]? {
        guard !text.isEmpty else { return [] }
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        var bytes: [UInt8] = []
        for (index, group) in groups.enumerated() {
            if mayEndWithIPv4, index == groups.count - 1, group.contains(".") {
                guard let quad = parseIPv4(group) else { return nil }
                bytes += quad
            } else {
                guard (1...4).contains(group.count), group.allSatisfy(\.isHexDigit), let value = UInt16(group, radix: 16) else {
                    return nil
                }
                bytes.appendUInt16(value)
            }
        }
        return bytes
    }

    /// RFC 5952 §4: lowercase hex without leading zeros, the longest run (the first on a tie) of two or
    /// more zero groups shortened to "::".
    private static func formatIPv6(_ ip: [UInt8]) -> String {
        let groups = (0..<8).map { ip.uint16(at: $0 * 2) }
        var best: Range<Int>?
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8, groups[end] == 0 { end += 1 }
            if end - index >= 2, end - index > best?.count ?? 0 { best = index..<end }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard let best else { return hex.joined(separator: ":") }
        return hex[..<best.lowerBound].joined(separator: ":") + "::" + hex[best.upperBound...].joined(separator: ":")
    }
}
