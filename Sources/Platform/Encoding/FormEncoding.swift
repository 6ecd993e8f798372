/// `application/x-www-form-urlencoded`, as Twilio's clients send it and as Parley sends callbacks.
///
/// Encoding escapes everything but RFC 3986's unreserved characters (`A–Z a–z 0–9 - . _ ~`); decoding
/// reads `+` as a space and `%XX` as a byte, and requires UTF-8.
public enum FormEncoding {
    /// `name=value&…` in the given order.
    public static func encode(_ pairs: some Sequence<(String, String)>) -> String {
        var out = ""
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out += "&" }
            out += encodeComponent(pair.0) + "=" + encodeComponent(pair.1)
        }
        return out
    }

    private static let unreserved: [Bool] = (0...255).map { byte in
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8.contains(UInt8(byte))
    }
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// One name or value, percent-encoded.
    public static func encodeComponent(_ string: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            if unreserved[Int(byte)] {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xf)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The pairs of a query string or form body, in order; fields with an empty name are skipped.
    public static func decode(_ encoded: some StringProtocol) throws(FormEncodingError) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for field in encoded.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = field.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decodeComponent(parts[0])
            let value = parts.count > 1 ? try decodeComponent(parts[1]) : ""
            guard !name.isEmpty else { continue }
            pairs.append((name, value))
        }
        return pairs
    }

    private static func decodeComponent(_ bytes: some Collection<UInt8>) throws(FormEncodingError) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                let high = bytes.index(after: index)
                guard high != bytes.endIndex, bytes.index(after: high) != bytes.endIndex,
                    let value = UInt8(String(decoding: [bytes[high], bytes[bytes.index(after: high)]], as: UTF8.self), radix: 16)
                else { throw .malformedPercentEncoding }
                out.append(value)
                index = bytes.index(after: high)
            } else {
                out.append(byte)
            }
            index = bytes.index(after: index)
        }
        guard let string = String(validating: out, as: UTF8.self) else { throw .notUTF8 }
        return string
    }
}

public enum FormEncodingError: Error, Equatable {
    case malformedPercentEncoding
    case notUTF8
}
