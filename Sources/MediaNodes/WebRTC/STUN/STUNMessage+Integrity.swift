import Crypto

/// MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 over the message up to the attribute, with the
/// header length already counting the attribute. ICE uses short-term credentials, whose key is the
/// password's UTF-8 bytes (RFC 8489 §9.1.1; the OpaqueString profile leaves ICE's ice-chars unchanged).
/// Kept apart from the codec so the parser files need only the standard library.
extension STUNMessage {
    /// The message on the wire with MESSAGE-INTEGRITY keyed by `integrityKey` (when given) and then
    /// FINGERPRINT (when asked), both last and in that order.
    func encoded(integrityKey: [UInt8]?, fingerprint: Bool) -> [UInt8] {
        guard let integrityKey else { return encoded(fingerprint: fingerprint) }
        return encoded(fingerprint: fingerprint) { Self.messageIntegrity(of: $0[...], key: integrityKey) }
    }

    /// Whether `raw` carries a MESSAGE-INTEGRITY that `key` reproduces. The MAC covers the bytes before
    /// the attribute with the length field rewritten to end right after it (a FINGERPRINT may follow).
    static func verifyIntegrity(of raw: [UInt8], key: [UInt8]) -> Bool {
        guard let offset = attributeOffset(of: STUNAttribute.Kind.messageIntegrity, in: raw),
            offset + 24 <= raw.count, raw.uint16(at: offset + 2) == 20
        else { return false }
        var covered = Array(raw[..<offset])
        covered.setUInt16(UInt16(truncatingIfNeeded: offset + 24 - headerLength), at: 2)
        let expected = messageIntegrity(of: covered[...], key: key)
        // Constant time: the comparison must not tell an attacker how many bytes matched.
        var difference: UInt8 = 0
        for (index, byte) in expected.enumerated() {
            difference |= byte ^ raw[offset + 4 + index]
        }
        return difference == 0
    }

    /// The 20-byte HMAC-SHA1 of `bytes` under `key`.
    static func messageIntegrity(of bytes: ArraySlice<UInt8>, key: [UInt8]) -> [UInt8] {
        Array(HMAC<Insecure.SHA1>.authenticationCode(for: bytes, using: SymmetricKey(data: key)))
    }

    /// The short-term credential key for `password` (RFC 8489 §9.1.1).
    static func shortTermKey(password: String) -> [UInt8] {
        Array(password.utf8)
    }
}
