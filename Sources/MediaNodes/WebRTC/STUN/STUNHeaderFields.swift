/// The class of a STUN message (RFC 8489 §5), two bits C1 C0 spread over the message type.
enum STUNClass: UInt8, Hashable, Sendable {
    case request = 0b00
    case indication = 0b01
    case successResponse = 0b10
    case errorResponse = 0b11
}

/// A STUN method: 12 bits spread over the message type. ICE only uses Binding; others parse and keep
/// their number.
struct STUNMethod: Hashable, Sendable, CustomStringConvertible {
    /// The method number, 0...0xFFF.
    let rawValue: UInt16

    /// Binding (RFC 8489 §18.2): the only method of ICE connectivity checks.
    static let binding = STUNMethod(0x001)

    /// A method from its number; bits above the 12 are dropped.
    init(_ rawValue: UInt16) {
        self.rawValue = rawValue & 0x0FFF
    }

    var description: String { self == .binding ? "Binding" : "method 0x\(String(rawValue, radix: 16))" }

    /// The 14-bit message type carrying this method and `messageClass`: the class bits sit at
    /// positions 4 and 8, the method bits fill the rest (RFC 8489 figure 3).
    func messageType(_ messageClass: STUNClass) -> UInt16 {
        let classBits = UInt16(messageClass.rawValue)
        return (rawValue & 0x000F) | (rawValue & 0x0070) << 1 | (rawValue & 0x0F80) << 2
            | (classBits & 0b01) << 4 | (classBits & 0b10) << 7
    }

    /// Splits a message type into its method and class.
    static func split(messageType type: UInt16) -> (STUNMethod, STUNClass) {
        let method = (type & 0x000F) | (type >> 1) & 0x0070 | (type >> 2) & 0x0F80
        let classBits = UInt8(truncatingIfNeeded: (type >> 4) & 0b01 | (type >> 7) & 0b10)
        // Two bits always name one of the four classes.
        return (STUNMethod(method), STUNClass(rawValue: classBits) ?? .request)
    }
}

/// The 96-bit transaction ID that pairs a STUN response with its request.
struct STUNTransactionID: Hashable, Sendable, CustomStringConvertible {
    /// Always 12 bytes.
    let bytes: [UInt8]

    /// The ID made of `bytes`, or nil unless there are exactly 12.
    init?(_ bytes: [UInt8]) {
        guard bytes.count == 12 else { return nil }
        self.bytes = bytes
    }

    /// A fresh random ID (RFC 8489 §6: uniformly random, from a cryptographically strong source).
    static func random() -> STUNTransactionID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// A random ID drawn from `generator` (tests use a seeded one).
    static func random<Generator: RandomNumberGenerator>(using generator: inout Generator) -> STUNTransactionID {
        STUNTransactionID(uncheckedBytes: (0..<12).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// For callers that produced exactly 12 bytes themselves.
    init(uncheckedBytes bytes: [UInt8]) {
        self.bytes = bytes
    }

    var description: String { bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined() }
}

extension String {
    /// The string with leading zeros up to `width` characters (hex dumps).
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
