/// Rewriting RTP packets in place, and building new ones: the SFU gives every subscriber its own SSRC,
/// sequence numbers, timestamps and payload type without copying the payload.
extension RTPHeader {
    /// Overwrites the payload type (keeping the marker bit), sequence number, timestamp and SSRC of
    /// `packet` in place.
    static func rewrite(_ packet: inout [UInt8], payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32) throws(MalformedPacket) {
        guard packet.count >= fixedSize else { throw MalformedPacket("RTP packet of \(packet.count) bytes is shorter than its fixed header") }
        writeFields(&packet, payloadType: payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc)
    }

    /// `rewrite` for a packet already known to hold a fixed header.
    static func writeFields(_ packet: inout [UInt8], payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32) {
        packet[1] = packet[1] & 0x80 | payloadType & 0x7F
        packet.setUInt16(sequenceNumber, at: 2)
        packet.setUInt32(timestamp, at: 4)
        packet.setUInt32(ssrc, at: 8)
    }

    /// Overwrites the value of extension element `id` in `packet` (the one this header was parsed
    /// from) with `value` of the same size, as when the SFU renumbers the transport-wide sequence
    /// number per subscriber. Returns false, changing nothing, when the element is absent or its size
    /// differs.
    func overwriteExtension(id: UInt8, with value: [UInt8], in packet: inout [UInt8]) -> Bool {
        guard let element = extensions.first(where: { $0.id == id }), element.range.count == value.count,
            element.range.upperBound <= packet.count
        else { return false }
        packet.replaceSubrange(element.range, with: value)
        return true
    }

    /// Builds a packet from its fields: the SFU's outgoing packets, tests and the load generator. Extensions
    /// use the one-byte form when they all fit it, else the two-byte form. `spareCapacity` reserves room
    /// for what comes next (the SRTP trailer), so protecting the packet does not reallocate it.
    /// - Precondition: `payloadType` < 128, at most 15 CSRCs, extension IDs 1...255 with values of at
    ///   most 255 bytes (programming errors, not input).
    static func makePacket(
        marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
        csrcs: [UInt32] = [], extensions: [RTPHeaderExtensionValue] = [], payload: some Collection<UInt8>, paddingLength: UInt8 = 0,
        spareCapacity: Int = 0
    ) -> [UInt8] {
        precondition(payloadType < 128 && csrcs.count <= 15, "RTP payload type or CSRC count out of range")
        var packet: [UInt8] = []
        packet.reserveCapacity(fixedSize + csrcs.count * 4 + 64 + payload.count + Int(paddingLength) + spareCapacity)
        let first = version << 6 | (paddingLength > 0 ? 0x20 : 0) | (extensions.isEmpty ? 0 : 0x10) | UInt8(csrcs.count)
        packet.append(first)
        packet.append((marker ? 0x80 : 0) | payloadType)
        packet.appendUInt16(sequenceNumber)
        packet.appendUInt32(timestamp)
        packet.appendUInt32(ssrc)
        for csrc in csrcs { packet.appendUInt32(csrc) }
        if !extensions.isEmpty { appendExtensionBlock(extensions, to: &packet) }
        packet.append(contentsOf: payload)
        if paddingLength > 0 {
            packet.append(contentsOf: repeatElement(0, count: Int(paddingLength) - 1))
            packet.append(paddingLength)
        }
        return packet
    }

    /// Appends the extension profile, length and elements, padded with zero bytes to whole words.
    private static func appendExtensionBlock(_ extensions: [RTPHeaderExtensionValue], to packet: inout [UInt8]) {
        let oneByte = extensions.allSatisfy(\.fitsOneByteForm)
        packet.appendUInt16(oneByte ? RTPHeaderExtensionElement.oneByteProfile : RTPHeaderExtensionElement.twoByteProfile)
        let lengthOffset = packet.count
        packet.appendUInt16(0)
        let start = packet.count
        for element in extensions {
            precondition(element.id > 0 && element.value.count <= 255, "RTP extension element \(element.id) cannot be written")
            if oneByte {
                packet.append(element.id << 4 | UInt8(element.value.count - 1))
            } else {
                packet.append(element.id)
                packet.append(UInt8(element.value.count))
            }
            packet.append(contentsOf: element.value)
        }
        while (packet.count - start) % 4 != 0 { packet.append(0) }
        packet.setUInt16(UInt16((packet.count - start) / 4), at: lengthOffset)
    }
}
