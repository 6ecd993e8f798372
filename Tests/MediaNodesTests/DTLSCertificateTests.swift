import Testing

@testable import MediaNodes

@Suite struct DTLSCertificateTests {
    @Test func fingerprintIsUppercaseSHA256InSDPForm() throws {
        let certificate = try DTLSCertificate()
        let fingerprint = certificate.fingerprint
        #expect(fingerprint.hasPrefix("sha-256 "))
        let pairs = fingerprint.dropFirst("sha-256 ".count).split(separator: ":")
        #expect(pairs.count == 32)
        #expect(pairs.allSatisfy { $0.count == 2 && $0.allSatisfy { "0123456789ABCDEF".contains($0) } })
    }

    @Test func everyCertificateIsFresh() throws {
        #expect(try DTLSCertificate().fingerprint != DTLSCertificate().fingerprint)
    }

    @Test func fingerprintParsingIgnoresCaseAndRoundTrips() throws {
        let certificate = try DTLSCertificate()
        let parsed = try DTLSFingerprint(sdpValue: certificate.fingerprint.lowercased().uppercasingAlgorithm())
        #expect(parsed == certificate.sha256Fingerprint)
        #expect(parsed.description == certificate.fingerprint)
        let bare = try DTLSFingerprint(sdpValue: String(certificate.fingerprint.dropFirst("sha-256 ".count)))
        #expect(bare == parsed)
    }
}

extension String {
    /// "sha-256 ab:…" → "SHA-256 ab:…": the algorithm token is case-insensitive too.
    fileprivate func uppercasingAlgorithm() -> String {
        "SHA-256" + dropFirst("sha-256".count)
    }
}
