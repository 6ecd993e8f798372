/// Checks on the raw received bytes: MESSAGE-INTEGRITY and FINGERPRINT cover the exact bytes that
/// precede them, so they are verified on what arrived, not on a re-encoding.
extension STUNMessage {
    /// Whether `raw` is a well-framed STUN message whose last attribute is a FINGERPRINT matching
    /// the bytes before it.
    static func verifyFingerprint(of raw: [UInt8]) -> Bool {
        guard let offset = attributeOffset(of: STUNAttribute.Kind.fingerprint, in: raw),
            offset + 8 == raw.count, raw.uint16(at: offset + 2) == 4
        else { return false }
        return raw.uint32(at: offset + 4) == fingerprintValue(of: raw[..<offset])
    }

    /// Where the first attribute of `type` starts in `raw` (its type field), walking the TLVs of a
    /// well-framed message; nil when `raw` is not one or has no such attribute.
    static func attributeOffset(of type: UInt16, in raw: [UInt8]) -> Int? {
        guard raw.count >= headerLength, raw.uint32(at: 4) == magicCookie,
            Int(raw.uint16(at: 2)) + headerLength == raw.count
        else { return nil }
        var offset = headerLength
        while offset + 4 <= raw.count {
            if raw.uint16(at: offset) == type { return offset }
            offset += 4 + Int(raw.uint16(at: offset + 2))
            offset += paddingLength(offset)
        }
        return nil
    }
}
