/// libFuzzer harness for the STUN codec: any datagram either fails to parse or parses into a message
/// that re-encodes stably, and the raw-byte checks (FINGERPRINT, attribute walk) never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    // These read the raw bytes on their own bounds checks, whether or not the message parses.
    _ = STUNMessage.verifyFingerprint(of: bytes)
    _ = STUNMessage.attributeOffset(of: STUNAttribute.Kind.messageIntegrity, in: bytes)
    _ = DatagramKind.classify(bytes)
    guard let message = try? STUNMessage(parsing: bytes) else { return 0 }
    fuzzCheck(STUNMessage.looksLikeSTUN(bytes), "a parsed message fails the demultiplexing test")
    _ = (message.username, message.xorMappedAddress, message.priority, message.useCandidate, message.errorCode)

    // Encoding drops MESSAGE-INTEGRITY (no key here) and recomputes FINGERPRINT; the result must parse
    // back to the same fields and encode to the same bytes again.
    let encoded = message.encoded(fingerprint: true)
    fuzzCheck(STUNMessage.verifyFingerprint(of: encoded), "the encoder's FINGERPRINT does not verify")
    let reparsed: STUNMessage
    do {
        reparsed = try STUNMessage(parsing: encoded)
    } catch {
        fuzzCheck(false, "re-encoded message does not parse: \(error)")
        return 0
    }
    let kept = message.attributes.filter { $0.type != STUNAttribute.Kind.messageIntegrity && $0.type != STUNAttribute.Kind.fingerprint }
    fuzzCheck(reparsed.method == message.method && reparsed.messageClass == message.messageClass, "type changed")
    fuzzCheck(reparsed.transactionID == message.transactionID, "transaction ID changed")
    fuzzCheck(Array(reparsed.attributes.dropLast()) == kept, "attributes changed")
    fuzzCheck(reparsed.hasFingerprint && !reparsed.hasMessageIntegrity, "FINGERPRINT missing or MESSAGE-INTEGRITY kept")
    fuzzCheck(reparsed.encoded(fingerprint: true) == encoded, "encoding is not stable")
    return 0
}
