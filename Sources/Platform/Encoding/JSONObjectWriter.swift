/// Writes a JSON object field by field into bytes.
///
/// Used on hot paths (every response body, every log line) instead of `JSONEncoder` /
/// `JSONSerialization`, which cost more than the rest of a request on Linux. Optional values are
/// written as `null`, as Twilio does, rather than omitted.
public struct JSONObjectWriter {
    public private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var empty = true

    public init() { bytes.reserveCapacity(512) }

    public mutating func field(_ key: String, _ value: String?) {
        name(key)
        if let value { Self.appendString(value, to: &bytes) } else { appendNull() }
    }

    public mutating func field(_ key: String, _ value: Int?) {
        name(key)
        if let value { bytes += Array(String(value).utf8) } else { appendNull() }
    }

    public mutating func field(_ key: String, _ value: Bool?) {
        name(key)
        if let value { bytes += Array((value ? "true" : "false").utf8) } else { appendNull() }
    }

    /// A string field whose value is the concatenation of `parts`, written without building it first.
    public mutating func field(_ key: String, concatenating parts: String...) {
        name(key)
        bytes.append(UInt8(ascii: "\""))
        for part in parts { Self.appendEscaped(part, to: &bytes) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A nested object.
    public mutating func field(_ key: String, object write: (inout JSONObjectWriter) -> Void) {
        name(key)
        var nested = JSONObjectWriter()
        write(&nested)
        bytes += nested.finished()
    }

    /// An array of objects.
    public mutating func field<Element>(_ key: String, objects elements: [Element], _ write: (Element, inout JSONObjectWriter) -> Void) {
        name(key)
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            var nested = JSONObjectWriter()
            write(element, &nested)
            bytes += nested.finished()
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An array of strings.
    public mutating func field(_ key: String, strings: [String]) {
        name(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in strings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.appendString(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A value that is already JSON.
    public mutating func field(_ key: String, json: [UInt8]) {
        name(key)
        bytes += json
    }

    /// The complete object.
    public func finished() -> [UInt8] {
        bytes + [UInt8(ascii: "}")]
    }

    private mutating func name(_ key: String) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        Self.appendString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func appendNull() { bytes += Array("null".utf8) }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string literal: quotes, backslashes and control characters escaped; UTF-8 passed through.
    public static func appendString(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        appendEscaped(string, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ string: String, to bytes: inout [UInt8]) {
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xf)]]
            default: bytes.append(byte)
            }
        }
    }
}
