/// A certificate fingerprint as SDP carries it (RFC 8122 §5): `sha-256 AB:CD:…`, the hash algorithm
/// then the digest as colon-separated hex pairs. Only SHA-256 is accepted: every WebRTC stack uses it.
struct DTLSFingerprint: Sendable, Hashable, CustomStringConvertible {
    static let algorithm = "sha-256"
    static let digestLength = 32

    /// The SHA-256 digest of the DER-encoded certificate.
    let digest: [UInt8]

    init?(digest: [UInt8]) {
        guard digest.count == Self.digestLength else { return nil }
        self.digest = digest
    }

    /// Parses the value of an `a=fingerprint` attribute. Hex is case-insensitive; the algorithm token
    /// may be omitted.
    init(sdpValue: String) throws(DTLSError) {
        let fields = sdpValue.split(whereSeparator: \.isWhitespace)
        let hex: Substring
        switch fields.count {
        case 1:
            hex = fields[0]
        case 2 where fields[0].lowercased() == Self.algorithm:
            hex = fields[1]
        default:
            throw .invalidFingerprint(sdpValue)
        }
        let pairs = hex.split(separator: ":", omittingEmptySubsequences: false)
        var digest: [UInt8] = []
        for pair in pairs {
            guard pair.count == 2, let byte = UInt8(pair, radix: 16) else { throw .invalidFingerprint(sdpValue) }
            digest.append(byte)
        }
        guard digest.count == Self.digestLength else { throw .invalidFingerprint(sdpValue) }
        self.digest = digest
    }

    /// The SDP form: `sha-256` and uppercase hex pairs separated by colons.
    var description: String {
        Self.algorithm + " " + digest.map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return byte < 0x10 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
