/// The header of an RTP packet (RFC 3550 §5.1), parsed as offsets into the packet: the SFU forwards
/// packets without decoding them, so parsing copies nothing but the fields it reads.
struct RTPHeader: Sendable, Equatable {
    /// The only RTP version there is.
    static let version: UInt8 = 2
    /// The fixed part of the header, before the CSRCs and the extension.
    static let fixedSize = 12

    let hasPadding: Bool
    let marker: Bool
    let payloadType: UInt8
    let sequenceNumber: UInt16
    let timestamp: UInt32
    let ssrc: UInt32
    let csrcs: [UInt32]
    /// The header extension's profile (0xBEDE one-byte, 0x100X two-byte, or another), nil without one.
    let extensionProfile: UInt16?
    /// The extension elements, in packet order; empty for profiles other than RFC 8285's two.
    let extensions: [RTPHeaderExtensionElement]
    /// Where the payload starts: the header's total size.
    let payloadOffset: Int
    /// The payload's size, without the padding.
    let payloadLength: Int
    /// The padding at the end of the packet, including its count byte; 0 without padding.
    let paddingLength: Int

    /// The payload's indices in the packet.
    var payloadRange: Range<Int> { payloadOffset..<payloadOffset + payloadLength }

    /// Parses the header of `packet`, checking that every length it states fits the packet.
    init(parsing packet: [UInt8]) throws(MalformedPacket) {
        guard packet.count >= Self.fixedSize else { throw MalformedPacket("RTP packet of \(packet.count) bytes is shorter than its fixed header") }
        let first = packet[0]
        guard first >> 6 == Self.version else { throw MalformedPacket("RTP version \(first >> 6), expected 2") }
        hasPadding = first & 0x20 != 0
        marker = packet[1] & 0x80 != 0
        payloadType = packet[1] & 0x7F
        sequenceNumber = packet.uint16(at: 2)
        timestamp = packet.uint32(at: 4)
        ssrc = packet.uint32(at: 8)

        var reader = ByteReader(packet, from: Self.fixedSize)
        var csrcs: [UInt32] = []
        for _ in 0..<Int(first & 0x0F) {
            csrcs.append(try reader.readUInt32())
        }
        self.csrcs = csrcs

        if first & 0x10 != 0 {
            let profile = try reader.readUInt16()
            let extensionSize = Int(try reader.readUInt16()) * 4
            let extensionStart = reader.offset
            try reader.skip(extensionSize)
            extensionProfile = profile
            extensions = try RTPHeaderExtensionElement.parse(packet, profile: profile, range: extensionStart..<extensionStart + extensionSize)
        } else {
            extensionProfile = nil
            extensions = []
        }
        payloadOffset = reader.offset

        var paddingLength = 0
        if hasPadding {
            // The last byte counts the padding, itself included (RFC 3550 §5.1).
            paddingLength = Int(packet[packet.count - 1])
            guard paddingLength >= 1, paddingLength <= packet.count - payloadOffset else {
                throw MalformedPacket("RTP padding of \(paddingLength) bytes does not fit a payload of \(packet.count - payloadOffset)")
            }
        }
        self.paddingLength = paddingLength
        payloadLength = packet.count - payloadOffset - paddingLength
    }

    /// The payload of `packet` (the one this header was parsed from), without copying it.
    func payload(in packet: [UInt8]) -> ArraySlice<UInt8> {
        packet[payloadRange.clamped(to: packet.indices)]
    }

    /// The value of the extension element with local identifier `id` in `packet` (the one this header
    /// was parsed from), or nil when the packet does not carry it.
    func extensionValue(id: UInt8, in packet: [UInt8]) -> ArraySlice<UInt8>? {
        guard let element = extensions.first(where: { $0.id == id }), element.range.upperBound <= packet.count else { return nil }
        return packet[element.range]
    }
}
