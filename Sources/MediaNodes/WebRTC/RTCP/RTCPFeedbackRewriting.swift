/// Translating the media source of feedback in place: a subscriber's PLI, NACK or FIR names the SSRC
/// the SFU sends it, and the SFU passes it on to the publisher under the publisher's SSRC without
/// parsing and rebuilding the compound.
extension RTCPPacket {
    /// The offset of the media source SSRC in an RTPFB or PSFB packet.
    private static let mediaSSRCOffset = 8

    /// Replaces, in every RTPFB and PSFB packet of `compound`, the media source SSRC, and the SSRC of
    /// every FIR entry, with what `translate` returns for it; nil leaves it as it is. Zero (the media
    /// SSRC of FIR and REMB) is not offered. Other packets are untouched. Throws, changing nothing,
    /// when the compound's headers are malformed.
    static func rewriteMediaSSRCs(in compound: inout [UInt8], _ translate: (UInt32) -> UInt32?) throws(MalformedPacket) {
        var headers: [RTCPCommonHeader] = []
        var offset = 0
        while offset < compound.count {
            let header = try RTCPCommonHeader(parsing: compound, at: offset)
            headers.append(header)
            offset = header.range.upperBound
        }
        for header in headers where header.packetType == PacketType.transportFeedback || header.packetType == PacketType.payloadFeedback {
            let mediaOffset = header.range.lowerBound + mediaSSRCOffset
            guard mediaOffset + 4 <= header.body.upperBound else { continue }
            translateSSRC(at: mediaOffset, in: &compound, translate)
            guard header.packetType == PacketType.payloadFeedback, header.count == FeedbackFormat.fullIntraRequest else { continue }
            // FIR entries: 8 bytes each, the SSRC first.
            for entryOffset in stride(from: mediaOffset + 4, to: header.body.upperBound - 7, by: 8) {
                translateSSRC(at: entryOffset, in: &compound, translate)
            }
        }
    }

    /// Translates the non-zero SSRC at `offset`, which the caller checked lies within `bytes`.
    private static func translateSSRC(at offset: Int, in bytes: inout [UInt8], _ translate: (UInt32) -> UInt32?) {
        let ssrc = bytes.uint32(at: offset)
        if ssrc != 0, let translated = translate(ssrc) { bytes.setUInt32(translated, at: offset) }
    }
}
