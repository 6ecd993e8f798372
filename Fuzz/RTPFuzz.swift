/// libFuzzer harness for the RTP codecs: the header parser, and what the SFU does with a parsed
/// packet — extension reads and rewrites, VP8 descriptor and H.264 keyframe inspection, RTX wrapping
/// and unwrapping. Input that is no RTP packet is still fed to the payload parsers as a payload.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let packet = fuzzBytes(data, size)
    _ = DatagramKind.classify(packet)
    guard let header = try? RTPHeader(parsing: packet) else {
        inspectPayload(packet, range: packet.indices)
        return 0
    }
    fuzzCheck(header.payloadOffset >= RTPHeader.fixedSize && header.payloadRange.upperBound <= packet.count, "payload range outside the packet")
    fuzzCheck(header.payloadRange.upperBound + header.paddingLength == packet.count, "payload and padding do not end the packet")
    checkExtensions(packet, header: header)
    inspectPayload(packet, range: header.payloadRange)
    checkRetransmission(packet, header: header)

    var rewritten = packet
    do {
        try RTPHeader.rewrite(&rewritten, payloadType: 100, sequenceNumber: 7, timestamp: 8, ssrc: 9)
        let again = try RTPHeader(parsing: rewritten)
        fuzzCheck(again.payloadType == 100 && again.sequenceNumber == 7 && again.ssrc == 9 && again.marker == header.marker, "rewrite lost a field")
        fuzzCheck(again.payloadRange == header.payloadRange, "rewrite moved the payload")
    } catch {
        fuzzCheck(false, "a parsed packet no longer parses after rewriting its fields: \(error)")
    }
    return 0
}

/// Every element the header lists lies in the packet and can be read, and overwritten in place with a
/// value of its size without moving anything else.
private func checkExtensions(_ packet: [UInt8], header: RTPHeader) {
    for element in header.extensions {
        fuzzCheck(element.range.lowerBound >= RTPHeader.fixedSize && element.range.upperBound <= header.payloadOffset, "extension element outside the header")
        guard let value = header.extensionValue(id: element.id, in: packet) else {
            fuzzCheck(false, "listed extension \(element.id) cannot be read")
            return
        }
        _ = AudioLevel(extensionValue: value)
        var copy = packet
        let replacement = [UInt8](repeating: 0xA5, count: value.count)
        fuzzCheck(header.overwriteExtension(id: element.id, with: replacement, in: &copy), "overwriting extension \(element.id) failed")
        fuzzCheck(copy.count == packet.count, "overwriting an extension resized the packet")
    }
}

/// The VP8 descriptor and H.264 payload parsers on `range` of `bytes`; a VP8 descriptor's rewrites read back.
private func inspectPayload(_ bytes: [UInt8], range: Range<Int>) {
    _ = try? H264PayloadInfo(parsing: bytes[range])
    guard let descriptor = try? VP8PayloadDescriptor(parsing: bytes, payload: range) else { return }
    fuzzCheck(descriptor.size >= 1 && descriptor.size <= range.count, "VP8 descriptor size \(descriptor.size) for a payload of \(range.count)")
    var copy = bytes
    if descriptor.rewritePictureID(0x1234, in: &copy) {
        let reread = try? VP8PayloadDescriptor(parsing: copy, payload: range)
        let expected: UInt16 = descriptor.hasLongPictureID ? 0x1234 : 0x34
        fuzzCheck(reread?.pictureID == expected && reread?.size == descriptor.size, "VP8 picture ID rewrite does not read back")
    }
    if descriptor.rewriteTL0PictureIndex(0x5A, in: &copy) {
        let reread = try? VP8PayloadDescriptor(parsing: copy, payload: range)
        fuzzCheck(reread?.tl0PictureIndex == 0x5A, "VP8 TL0PICIDX rewrite does not read back")
    }
}

/// RFC 4588 round trip: unwrapping the RTX packet `wrap` makes gives back the packet without its padding.
private func checkRetransmission(_ packet: [UInt8], header: RTPHeader) {
    do {
        let rtx = try RTPRetransmission.wrap(packet, header: header, rtxSSRC: 0xCAFE, rtxPayloadType: 97, rtxSequenceNumber: 1)
        let rtxHeader = try RTPHeader(parsing: rtx)
        fuzzCheck(rtxHeader.ssrc == 0xCAFE && rtxHeader.payloadLength == header.payloadLength + 2, "RTX header wrong")
        let original = try RTPRetransmission.unwrap(rtx, header: rtxHeader, originalSSRC: header.ssrc, originalPayloadType: header.payloadType)
        var expected = Array(packet[..<header.payloadRange.upperBound])
        expected[0] &= ~0x20
        fuzzCheck(original == expected, "RTX unwrap(wrap(packet)) differs from the packet")
    } catch {
        fuzzCheck(false, "RTX round trip threw on a parsed packet: \(error)")
    }
}
