import CDTLS

/// The media node's DTLS identity: a fresh self-signed ECDSA P-256 certificate made once per node
/// start (so it rotates on every restart), and the OpenSSL context every ``DTLSEndpoint`` of the node
/// shares. Its ``fingerprint`` goes into every SDP answer.
///
/// `@unchecked Sendable`: the certificate, key and context never change after `init`, and OpenSSL
/// allows concurrent `SSL_new` on one `SSL_CTX` (its reference counts are atomic).
final class DTLSCertificate: @unchecked Sendable {
    static let commonName = "parley-media-node"
    static let validityDays = 30
    /// The SRTP profiles the context offers (client) or accepts (server), preferred first.
    static let defaultSRTPProfiles: [SRTPProfile] = [.aeadAES128GCM, .aes128CMHMACSHA1_80]

    /// `sha-256 AB:CD:…`, the `a=fingerprint` value for SDP.
    let fingerprint: String
    /// The same fingerprint, parsed.
    let sha256Fingerprint: DTLSFingerprint
    /// The shared `cdtls_context` (an `SSL_CTX`).
    let context: OpaquePointer
    private let certificate: OpaquePointer

    /// Generates the key pair and certificate and configures the DTLS context around them.
    init() throws(DTLSError) {
        var error = [CChar](repeating: 0, count: 512)
        guard let certificate = cdtls_certificate_generate(Self.commonName, Int32(Self.validityDays), &error, 512)
        else {
            throw .certificateGenerationFailed(stringFromCBuffer(error))
        }
        var digest = [UInt8](repeating: 0, count: DTLSFingerprint.digestLength)
        guard cdtls_certificate_sha256(certificate, &digest) == 1, let fingerprint = DTLSFingerprint(digest: digest)
        else {
            cdtls_certificate_free(certificate)
            throw .certificateGenerationFailed("could not digest the certificate")
        }
        let profiles = Self.defaultSRTPProfiles.map(\.openSSLName).joined(separator: ":")
        guard let context = cdtls_context_new(certificate, profiles, &error, 512) else {
            cdtls_certificate_free(certificate)
            throw .setupFailed(stringFromCBuffer(error))
        }
        self.certificate = certificate
        self.context = context
        self.sha256Fingerprint = fingerprint
        self.fingerprint = fingerprint.description
    }

    deinit {
        cdtls_context_free(context)  // endpoints hold their own SSL_CTX references
        cdtls_certificate_free(certificate)
    }
}
