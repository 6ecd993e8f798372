/// The value of an ERROR-CODE attribute (RFC 8489 §14.8): a code from 300 to 699 and a human-readable
/// reason phrase.
struct STUNErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// The three-digit code, e.g. 401.
    let code: UInt16
    /// The reason phrase, e.g. "Unauthorized".
    let reason: String

    /// The attribute-level check or a required attribute was missing (RFC 8489 §9.1.3).
    static let badRequest = STUNErrorCode(code: 400, reason: "Bad Request")
    /// The username or the message integrity did not check out.
    static let unauthorized = STUNErrorCode(code: 401, reason: "Unauthorized")
    /// Both agents claim the same ICE role (RFC 8445 §7.3.1.1).
    static let roleConflict = STUNErrorCode(code: 487, reason: "Role Conflict")

    /// An error code; `code` must lie in 300...699 (the wire format keeps only its hundreds and the rest).
    init(code: UInt16, reason: String) {
        self.code = code
        self.reason = reason
    }

    var description: String { "\(code) \(reason)" }

    /// Decodes the attribute value: 21 reserved bits, a 3-bit class (3...6), an 8-bit number (0...99)
    /// and the UTF-8 reason phrase.
    init(attributeValue value: [UInt8]) throws(MalformedPacket) {
        guard value.count >= 4 else { throw MalformedPacket("ERROR-CODE of \(value.count) bytes") }
        let errorClass = UInt16(value[2] & 0x07)
        let number = UInt16(value[3])
        guard (3...6).contains(errorClass), number < 100 else {
            throw MalformedPacket("ERROR-CODE class \(errorClass) number \(number)")
        }
        guard let reason = String(validating: value[4...], as: UTF8.self) else {
            throw MalformedPacket("ERROR-CODE reason is not UTF-8")
        }
        self.init(code: errorClass * 100 + number, reason: reason)
    }

    /// The attribute value, unpadded.
    var attributeValue: [UInt8] {
        [0, 0, UInt8(truncatingIfNeeded: code / 100) & 0x07, UInt8(truncatingIfNeeded: code % 100)] + Array(reason.utf8)
    }
}
