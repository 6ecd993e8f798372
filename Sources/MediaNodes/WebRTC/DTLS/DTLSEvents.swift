/// Which side of the DTLS handshake an endpoint plays (RFC 5763 §5: `a=setup`).
enum DTLSRole: Sendable, Hashable {
    /// Waits for a ClientHello: the media node, which as ICE-lite agent answers `a=setup:passive`.
    case server
    /// Sends the ClientHello: our load generator and tests.
    case client
}

/// A change of a ``DTLSEndpoint``'s state, reported once.
enum DTLSStateChange: Sendable, Hashable {
    /// The handshake finished and the peer proved it holds the signalled certificate.
    case connected(SRTPKeyingMaterial)
    /// The handshake or the association failed for good; the reason is meant for logs.
    case failed(String)
    /// The peer closed the association with close_notify.
    case closed
}

/// What one input produced: datagrams to send to the peer, in order, and at most one state change.
struct DTLSEvents: Sendable, Hashable {
    var datagrams: [[UInt8]] = []
    var stateChange: DTLSStateChange?
}

/// Why a DTLS object could not be created.
enum DTLSError: Error, Hashable {
    /// OpenSSL could not make the key pair or the certificate (OpenSSL's error text).
    case certificateGenerationFailed(String)
    /// OpenSSL refused the context or endpoint configuration (OpenSSL's error text).
    case setupFailed(String)
    /// The signalled fingerprint is not a SHA-256 fingerprint in SDP form.
    case invalidFingerprint(String)
}

/// Reads a NUL-terminated C string out of a buffer OpenSSL's glue filled.
func stringFromCBuffer(_ buffer: [CChar]) -> String {
    buffer.withUnsafeBufferPointer { pointer in
        pointer.baseAddress.map { String(cString: $0) } ?? ""
    }
}
