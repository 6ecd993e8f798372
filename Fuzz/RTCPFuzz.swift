/// libFuzzer harness for the RTCP codec: a compound either fails to parse or parses into packets that
/// serialize into a compound parsing back to the same packets, which serialize to the same bytes again;
/// the in-place SSRC translation of feedback agrees with the parser on which compounds are well-formed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    var translated = bytes
    let rewrote = (try? RTCPPacket.rewriteMediaSSRCs(in: &translated) { $0 &+ 1 }) != nil
    fuzzCheck(translated.count == bytes.count, "SSRC translation resized the compound")
    guard let packets = try? RTCPPacket.parseCompound(bytes) else { return 0 }
    fuzzCheck(rewrote, "SSRC translation refused a compound that parses")

    let serialized = RTCPPacket.serialize(packets)
    do {
        let reparsed = try RTCPPacket.parseCompound(serialized)
        fuzzCheck(reparsed.map(canonical) == packets.map(canonical), "re-parsed packets differ:\n\(packets)\n\(reparsed)")
        fuzzCheck(RTCPPacket.serialize(reparsed) == serialized, "serializing is not stable")
    } catch {
        fuzzCheck(false, "serialized compound does not parse: \(error)")
    }
    return 0
}

/// `packet` with what the wire form does not fix put in order: a NACK's lost sequence numbers are a set
/// (the parser keeps the wire order and repeats, the writer packs them sorted and once).
private func canonical(_ packet: RTCPPacket) -> RTCPPacket {
    guard case .genericNACK(let nack) = packet else { return packet }
    let lost = Set(nack.lostSequenceNumbers).sorted()
    return .genericNACK(RTCPGenericNACK(senderSSRC: nack.senderSSRC, mediaSSRC: nack.mediaSSRC, lostSequenceNumbers: lost))
}
