import Crypto
import Foundation
import Platform

/// `application/x-www-form-urlencoded` parameters as Twilio clients send them: PascalCase names,
/// repeated keys for lists (`MediaUrl=a&MediaUrl=b`) and dotted names for nested values
/// (`MessagingBinding.Address`). Order and repetition are preserved.
public struct FormParameters: Sendable, Equatable {
    public private(set) var pairs: [(name: String, value: String)] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        self.pairs = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// Decodes `encoded` (a query string or form body); `+` is a space, `%XX` a byte.
    public init(encoded: some StringProtocol) throws {
        for field in encoded.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = field.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            guard !name.isEmpty else { continue }
            pairs.append((name, value))
        }
    }

    /// The first value of `name`.
    public func first(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    public func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// The values of the given names that are present, in the order of `names` (for paging links).
    public func selecting(_ names: [String]) -> FormParameters {
        FormParameters(names.flatMap { name in all(name).map { (name, $0) } })
    }

    /// Encodes the parameters back into query-string form.
    public var encoded: String {
        pairs.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
    }

    /// A digest that is equal for the same multiset of parameters in any order.
    public var canonicalDigest: SHA256.Digest {
        var hasher = SHA256()
        for pair in pairs.sorted(by: { ($0.name, $0.value) < ($1.name, $1.value) }) {
            hasher.update(data: Data("\(pair.name.utf8.count):\(pair.name)\(pair.value.utf8.count):\(pair.value)".utf8))
        }
        return hasher.finalize()
    }

    public static func == (lhs: FormParameters, rhs: FormParameters) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }

    private static func decode(_ bytes: some Collection<UInt8>) throws -> String {
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
                else { throw APIError.invalidParameter("encoding", "malformed percent-encoding") }
                out.append(value)
                index = bytes.index(after: high)
            } else {
                out.append(byte)
            }
            index = bytes.index(after: index)
        }
        guard let string = String(validating: out, as: UTF8.self) else {
            throw APIError.invalidParameter("encoding", "parameters must be UTF-8")
        }
        return string
    }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    static func encode(_ string: String) -> String {
        var out = ""
        for byte in string.utf8 {
            if unreserved.contains(byte) {
                out.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
