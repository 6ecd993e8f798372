/// RTX (RFC 4588 §4): a retransmission travels on its own SSRC and payload type, its payload
/// starting with the original sequence number (OSN). The SFU unwraps what publishers resend and
/// wraps what it resends to subscribers.
enum RTPRetransmission {
    /// The size of the original sequence number at the start of an RTX payload.
    static let originalSequenceNumberSize = 2

    /// Rebuilds the original packet from the RTX `packet` parsed as `header`: the original sequence
    /// number moves back into the header, with `originalSSRC` and `originalPayloadType`; the RTX
    /// padding goes. Throws for payloads too short for the OSN, which includes the padding-only RTX
    /// packets senders use for bandwidth probing (check `header.payloadLength` first to skip those).
    static func unwrap(_ packet: [UInt8], header: RTPHeader, originalSSRC: UInt32, originalPayloadType: UInt8) throws(MalformedPacket) -> [UInt8] {
        let payload = header.payloadRange
        guard payload.count >= originalSequenceNumberSize, payload.lowerBound >= RTPHeader.fixedSize, payload.upperBound <= packet.count else {
            throw MalformedPacket("RTX payload of \(payload.count) bytes has no original sequence number")
        }
        let originalSequenceNumber = packet.uint16(at: payload.lowerBound)
        var original = Array(packet[0..<payload.lowerBound])
        original.append(contentsOf: packet[(payload.lowerBound + originalSequenceNumberSize)..<payload.upperBound])
        original[0] &= ~0x20  // the padding was the RTX packet's
        RTPHeader.writeFields(&original, payloadType: originalPayloadType, sequenceNumber: originalSequenceNumber, timestamp: header.timestamp, ssrc: originalSSRC)
        return original
    }

    /// Wraps `packet` (parsed as `header`) for retransmission on `rtxSSRC` with `rtxPayloadType` and the
    /// RTX stream's own `rtxSequenceNumber`; the original's padding is dropped. The timestamp stays.
    /// Throws only when `header` was not parsed from `packet`.
    static func wrap(_ packet: [UInt8], header: RTPHeader, rtxSSRC: UInt32, rtxPayloadType: UInt8, rtxSequenceNumber: UInt16) throws(MalformedPacket) -> [UInt8] {
        let payload = header.payloadRange
        guard payload.lowerBound >= RTPHeader.fixedSize, payload.upperBound <= packet.count else {
            throw MalformedPacket("RTP header does not describe this packet of \(packet.count) bytes")
        }
        var rtx: [UInt8] = []
        rtx.reserveCapacity(payload.upperBound + originalSequenceNumberSize)
        rtx.append(contentsOf: packet[0..<payload.lowerBound])
        rtx.appendUInt16(header.sequenceNumber)
        rtx.append(contentsOf: packet[payload])
        rtx[0] &= ~0x20
        RTPHeader.writeFields(&rtx, payloadType: rtxPayloadType, sequenceNumber: rtxSequenceNumber, timestamp: header.timestamp, ssrc: rtxSSRC)
        return rtx
    }
}
