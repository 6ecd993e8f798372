/// A STUN message (RFC 8489 §5, the RFC 5389 wire format): a 20-byte header (type, length, magic
/// cookie, transaction ID) followed by 4-byte aligned TLV attributes.
///
/// Parsing is strict about the framing (it is how STUN is told apart from the RTP, RTCP and DTLS that
/// share the port) and keeps every attribute, so a parsed message re-encodes to the same bytes.
/// MESSAGE-INTEGRITY and FINGERPRINT are computed when encoding, never copied from `attributes`;
/// to check them use ``verifyFingerprint(of:)`` and `verifyIntegrity(of:key:)` on the received bytes.
/// Standard library only, so the STUN fuzzer can compile it alone.
struct STUNMessage: Hashable, Sendable {
    /// The fixed value of header bytes 4...7 in every RFC 5389 STUN message.
    static let magicCookie: UInt32 = 0x2112_A442
    /// Type, length, cookie and transaction ID.
    static let headerLength = 20

    var method: STUNMethod
    var messageClass: STUNClass
    var transactionID: STUNTransactionID
    /// In wire order; repeated attributes are kept, the accessors read the first.
    var attributes: [STUNAttribute]
    /// The byte attribute values are padded with. Senders should use zero, but any value is legal and
    /// RFC 5769's vectors use spaces: parsing keeps the sender's so re-encoding is byte-identical.
    var paddingByte: UInt8

    /// A message to encode; a random transaction ID unless given.
    init(
        method: STUNMethod = .binding,
        messageClass: STUNClass,
        transactionID: STUNTransactionID = .random(),
        attributes: [STUNAttribute] = [],
        paddingByte: UInt8 = 0
    ) {
        self.method = method
        self.messageClass = messageClass
        self.transactionID = transactionID
        self.attributes = attributes
        self.paddingByte = paddingByte
    }

    /// A cheap demultiplexing test (RFC 7983): the two top bits are zero and the magic cookie is in place.
    static func looksLikeSTUN(_ bytes: [UInt8]) -> Bool {
        bytes.count >= headerLength && bytes[0] & 0xC0 == 0 && bytes.uint32(at: 4) == magicCookie
    }

    /// Parses a whole datagram (or RFC 4571 frame) as one STUN message.
    ///
    /// Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored (RFC 8489 §14.5: they are
    /// not covered by the integrity); anything after FINGERPRINT is an error, since it must come last.
    init(parsing bytes: [UInt8]) throws(MalformedPacket) {
        var reader = ByteReader(bytes)
        let type = try reader.readUInt16()
        let length = Int(try reader.readUInt16())
        let cookie = try reader.readUInt32()
        let transactionID = STUNTransactionID(uncheckedBytes: try reader.readBytes(12))
        guard type & 0xC000 == 0 else { throw MalformedPacket("STUN type 0x\(String(type, radix: 16)) has the top bits set") }
        guard cookie == Self.magicCookie else { throw MalformedPacket("STUN magic cookie 0x\(String(cookie, radix: 16))") }
        guard length % 4 == 0, Self.headerLength + length == bytes.count else {
            throw MalformedPacket("STUN length \(length) for \(bytes.count) bytes")
        }
        (method, messageClass) = STUNMethod.split(messageType: type)
        self.transactionID = transactionID
        attributes = []
        var padding: UInt8?
        var afterIntegrity = false
        var afterFingerprint = false
        while reader.remaining > 0 {
            let attributeType = try reader.readUInt16()
            let valueLength = Int(try reader.readUInt16())
            let value = try reader.readBytes(valueLength)
            let paddingBytes = try reader.readBytes(Self.paddingLength(valueLength))
            padding = padding ?? paddingBytes.first
            guard !afterFingerprint else { throw MalformedPacket("STUN attribute 0x\(String(attributeType, radix: 16)) after FINGERPRINT") }
            guard !afterIntegrity || attributeType == STUNAttribute.Kind.fingerprint else { continue }
            attributes.append(try STUNAttribute(type: attributeType, value: value, transactionID: transactionID))
            afterIntegrity = afterIntegrity || attributeType == STUNAttribute.Kind.messageIntegrity
            afterFingerprint = attributeType == STUNAttribute.Kind.fingerprint
        }
        paddingByte = padding ?? 0
    }

    /// The bytes that bring a value of `length` bytes to a multiple of four.
    static func paddingLength(_ length: Int) -> Int {
        (4 - length % 4) % 4
    }

    /// The message on the wire, without MESSAGE-INTEGRITY; with FINGERPRINT last if asked.
    func encoded(fingerprint: Bool) -> [UInt8] {
        encoded(fingerprint: fingerprint, messageIntegrity: nil)
    }

    /// The message on the wire. `messageIntegrity`, when given, computes the 20-byte MAC of the bytes it
    /// receives (the message so far, its length already counting the MESSAGE-INTEGRITY attribute);
    /// FINGERPRINT then follows it, as RFC 8489 §14.7 orders them. Keeps this file free of crypto.
    func encoded(fingerprint: Bool, messageIntegrity: (([UInt8]) -> [UInt8])?) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendUInt16(method.messageType(messageClass))
        bytes.appendUInt16(0)  // set once the attributes are in
        bytes.appendUInt32(Self.magicCookie)
        bytes += transactionID.bytes
        for attribute in attributes where attribute.type != STUNAttribute.Kind.messageIntegrity && attribute.type != STUNAttribute.Kind.fingerprint {
            append(attribute, to: &bytes)
        }
        if let messageIntegrity {
            bytes.setUInt16(UInt16(truncatingIfNeeded: bytes.count - Self.headerLength + 24), at: 2)
            append(.messageIntegrity(messageIntegrity(bytes)), to: &bytes)
        }
        if fingerprint {
            bytes.setUInt16(UInt16(truncatingIfNeeded: bytes.count - Self.headerLength + 8), at: 2)
            append(.fingerprint(Self.fingerprintValue(of: bytes[...])), to: &bytes)
        }
        bytes.setUInt16(UInt16(truncatingIfNeeded: bytes.count - Self.headerLength), at: 2)
        return bytes
    }

    /// Appends one TLV with its padding.
    private func append(_ attribute: STUNAttribute, to bytes: inout [UInt8]) {
        let value = attribute.encodedValue(transactionID: transactionID)
        bytes.appendUInt16(attribute.type)
        bytes.appendUInt16(UInt16(truncatingIfNeeded: value.count))
        bytes += value
        bytes += repeatElement(paddingByte, count: Self.paddingLength(value.count))
    }

    /// FINGERPRINT's value for the message bytes that precede it (RFC 8489 §14.7): the xor keeps it from
    /// matching the CRC other protocols on the port may carry.
    static func fingerprintValue(of precedingBytes: ArraySlice<UInt8>) -> UInt32 {
        CRC32.checksum(precedingBytes) ^ 0x5354_554E
    }
}
