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
        do {
            pairs = try FormEncoding.decode(encoded).map { (name: $0.0, value: $0.1) }
        } catch .malformedPercentEncoding {
            throw APIError.invalidParameter("encoding", "malformed percent-encoding")
        } catch .notUTF8 {
            throw APIError.invalidParameter("encoding", "parameters must be UTF-8")
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

    /// The value of `name` as one of `Value`'s cases; `nil` when absent, 400/20001 listing the cases otherwise.
    public func choice<Value: RawRepresentable & CaseIterable>(_ name: String, as type: Value.Type = Value.self) throws -> Value?
    where Value.RawValue == String {
        guard let text = first(name) else { return nil }
        guard let value = Value(rawValue: text) else {
            throw APIError.invalidParameter(name, "must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// The value of `name` as `true` or `false` (any case); `nil` when absent, 400/20001 otherwise.
    public func boolean(_ name: String) throws -> Bool? {
        guard let text = first(name) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw APIError.invalidParameter(name, "must be true or false")
        }
    }

    /// The value of `name` as an HTTP method for a callback, `GET` or `POST` (any case); `nil` when absent, 400/20001
    /// otherwise.
    public func deliveryMethod(_ name: String) throws -> DeliveryMethod? {
        guard let text = first(name) else { return nil }
        guard let method = DeliveryMethod(rawValue: text.uppercased()) else { throw APIError.invalidParameter(name, "must be GET or POST") }
        return method
    }

    /// The values of the given names that are present, in the order of `names` (for paging links).
    public func selecting(_ names: [String]) -> FormParameters {
        FormParameters(names.flatMap { name in all(name).map { (name, $0) } })
    }

    /// Encodes the parameters back into query-string form.
    public var encoded: String {
        FormEncoding.encode(pairs.map { ($0.name, $0.value) })
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
}
