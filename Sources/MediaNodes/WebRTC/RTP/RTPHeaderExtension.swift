/// One element of an RTP header extension (RFC 8285): its local identifier, negotiated in SDP
/// `a=extmap`, and where its value lies in the packet.
struct RTPHeaderExtensionElement: Sendable, Equatable {
    /// The one-byte-header profile (RFC 8285 §4.2).
    static let oneByteProfile: UInt16 = 0xBEDE
    /// The two-byte-header profile (RFC 8285 §4.3); its low 4 bits are application bits.
    static let twoByteProfile: UInt16 = 0x1000

    let id: UInt8
    /// The value's indices in the packet.
    let range: Range<Int>

    /// Whether `profile` is the two-byte one, whatever its application bits.
    static func isTwoByte(_ profile: UInt16) -> Bool {
        profile & 0xFFF0 == twoByteProfile
    }

    /// The elements in the extension block `range` of `packet`; other profiles than RFC 8285's have
    /// no elements the SFU understands, so they yield none.
    static func parse(_ packet: [UInt8], profile: UInt16, range: Range<Int>) throws(MalformedPacket) -> [RTPHeaderExtensionElement] {
        if profile == oneByteProfile { return try parseOneByte(packet, range: range) }
        if isTwoByte(profile) { return try parseTwoByte(packet, range: range) }
        return []
    }

    /// One-byte elements: a byte of 4-bit ID and 4-bit length minus one, then the value.
    private static func parseOneByte(_ packet: [UInt8], range: Range<Int>) throws(MalformedPacket) -> [RTPHeaderExtensionElement] {
        var elements: [RTPHeaderExtensionElement] = []
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = packet[index]
            if byte == 0 {
                index += 1  // a padding byte
                continue
            }
            let id = byte >> 4
            // ID 15 is reserved and ends processing (RFC 8285 §4.2); an ID 0 with a length is no padding
            // either, so treat it the same way (as libwebrtc does).
            if id == 15 || id == 0 { break }
            let valueStart = index + 1
            let valueEnd = valueStart + Int(byte & 0x0F) + 1
            guard valueEnd <= range.upperBound else { throw MalformedPacket("RTP extension element \(id) overruns the extension block") }
            elements.append(RTPHeaderExtensionElement(id: id, range: valueStart..<valueEnd))
            index = valueEnd
        }
        return elements
    }

    /// Two-byte elements: an ID byte, a length byte, then the value (which may be empty).
    private static func parseTwoByte(_ packet: [UInt8], range: Range<Int>) throws(MalformedPacket) -> [RTPHeaderExtensionElement] {
        var elements: [RTPHeaderExtensionElement] = []
        var index = range.lowerBound
        while index < range.upperBound {
            let id = packet[index]
            if id == 0 {
                index += 1  // a padding byte
                continue
            }
            guard index + 2 <= range.upperBound else { throw MalformedPacket("RTP extension element \(id) has no length byte") }
            let valueStart = index + 2
            let valueEnd = valueStart + Int(packet[index + 1])
            guard valueEnd <= range.upperBound else { throw MalformedPacket("RTP extension element \(id) overruns the extension block") }
            elements.append(RTPHeaderExtensionElement(id: id, range: valueStart..<valueEnd))
            index = valueEnd
        }
        return elements
    }
}

/// An extension element to write into a new packet: its local identifier and value.
struct RTPHeaderExtensionValue: Sendable, Equatable {
    let id: UInt8
    let value: [UInt8]

    init(id: UInt8, value: [UInt8]) {
        self.id = id
        self.value = value
    }

    /// Whether the one-byte form can carry it: IDs 1...14, values of 1...16 bytes.
    var fitsOneByteForm: Bool {
        (1...14).contains(id) && (1...16).contains(value.count)
    }
}
