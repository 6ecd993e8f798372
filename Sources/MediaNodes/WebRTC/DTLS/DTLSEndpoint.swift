import CDTLS

/// One DTLS 1.2 association for DTLS-SRTP (RFC 5764), sans-IO: the owner feeds it received datagrams
/// and timer expiries and sends whatever datagrams it returns. Each returned datagram is one OpenSSL
/// write, at most ``mtu`` bytes, so flights are never glued into oversized UDP payloads.
///
/// Once the handshake finishes, the endpoint checks the peer's certificate against the fingerprint
/// signalled in SDP and only then reports ``DTLSStateChange/connected(_:)`` with the SRTP keys; a missing
/// or different certificate fails closed.
///
/// Not thread-safe: an OpenSSL `SSL` is a single-threaded object. The owner confines each endpoint to
/// one event loop (the one its UDP channel runs on) and never touches it from elsewhere.
final class DTLSEndpoint {
    /// Where the association stands.
    enum State: Sendable, Hashable {
        case handshaking
        case connected
        case failed(String)
        case closed
    }

    /// Fits a DTLS datagram inside the smallest path MTU WebRTC assumes, with room for IP/UDP/TURN.
    static let defaultMTU = 1200
    /// RFC 6347 §4.2.4.1's initial retransmission timeout; OpenSSL doubles it up to 60 s.
    static let defaultInitialRetransmitTimeout: Duration = .seconds(1)

    let role: DTLSRole
    let mtu: Int
    private(set) var state: State = .handshaking
    private let expectedFingerprint: DTLSFingerprint
    /// Keeps the shared OpenSSL context alive as long as the link uses it.
    private let certificate: DTLSCertificate
    private let link: OpaquePointer

    /// Creates an endpoint that will accept only a peer whose certificate matches `remoteFingerprint`
    /// (the remote SDP's `a=fingerprint` value). `offeredProfiles` are the SRTP profiles offered (client)
    /// or accepted (server) in order of preference: the server picks the first of its own list that
    /// the client offers.
    init(
        role: DTLSRole, certificate: DTLSCertificate, remoteFingerprint: String,
        offeredProfiles: [SRTPProfile] = DTLSCertificate.defaultSRTPProfiles, mtu: Int = DTLSEndpoint.defaultMTU,
        initialRetransmitTimeout: Duration = DTLSEndpoint.defaultInitialRetransmitTimeout
    ) throws(DTLSError) {
        self.role = role
        self.mtu = mtu
        self.certificate = certificate
        expectedFingerprint = try DTLSFingerprint(sdpValue: remoteFingerprint)
        guard !offeredProfiles.isEmpty, mtu > 0, let mtu = UInt32(exactly: mtu) else {
            throw .setupFailed("needs at least one SRTP profile and a positive MTU")
        }
        let profiles = offeredProfiles.map(\.openSSLName).joined(separator: ":")
        let timeoutMilliseconds = UInt32(clamping: max(1, Self.milliseconds(initialRetransmitTimeout)))
        var error = [CChar](repeating: 0, count: 512)
        guard
            let link = cdtls_link_new(
                certificate.context, role == .server ? 1 : 0, profiles, mtu, timeoutMilliseconds, &error, 512)
        else {
            throw .setupFailed(stringFromCBuffer(error))
        }
        self.link = link
    }

    deinit {
        cdtls_link_free(link)
    }

    /// Starts the handshake: a client returns its first flight (the ClientHello), a server nothing.
    func start() -> [[UInt8]] {
        guard state == .handshaking else { return [] }
        let result = cdtls_link_start(link)
        if result == CDTLS_RESULT_FAILED { state = .failed(lastError) }
        return drainDatagrams()
    }

    /// Processes one datagram from the peer (the owner demultiplexes DTLS by its first byte, RFC 7983).
    /// Application data is discarded: the media node carries no data channels over this association.
    func receive(_ datagram: [UInt8]) -> DTLSEvents {
        guard isActive, !datagram.isEmpty else { return DTLSEvents() }
        let result = datagram.withUnsafeBufferPointer { bytes in
            cdtls_link_receive(link, bytes.baseAddress, bytes.count)
        }
        let change: DTLSStateChange?
        switch result {
        case CDTLS_RESULT_HANDSHAKE_DONE:
            change = completeHandshake()
        case CDTLS_RESULT_CLOSED:
            state = .closed
            change = .closed
        case CDTLS_RESULT_FAILED:
            let reason = lastError
            state = .failed(reason)
            change = .failed(reason)
        default:
            change = nil
        }
        return DTLSEvents(datagrams: drainDatagrams(), stateChange: change)
    }

    /// Time until the current flight should be retransmitted, or nil when no retransmission is pending
    /// (nothing sent yet, the handshake is over, or the endpoint is finished).
    var retransmitDeadline: Duration? {
        guard isActive else { return nil }
        let microseconds = cdtls_link_timeout_us(link)
        return microseconds < 0 ? nil : .microseconds(microseconds)
    }

    /// Call when ``retransmitDeadline`` has elapsed: returns the retransmitted flight, if the timer had
    /// really expired. Once OpenSSL gives up retransmitting, ``state`` becomes failed.
    func handleTimeout() -> [[UInt8]] {
        guard isActive else { return [] }
        if cdtls_link_handle_timeout(link) == CDTLS_RESULT_FAILED { state = .failed(lastError) }
        return drainDatagrams()
    }

    /// Ends the association: returns the close_notify alert to send (nothing before the handshake ended).
    func close() -> [[UInt8]] {
        guard isActive else { return [] }
        cdtls_link_shutdown(link)
        state = .closed
        return drainDatagrams()
    }

    private var isActive: Bool {
        state == .handshaking || state == .connected
    }

    private var lastError: String {
        String(cString: cdtls_link_last_error(link))
    }

    /// Authenticates the peer by its certificate's digest and derives the SRTP keys. A failure sends a
    /// close_notify after the final flight so the peer learns at once instead of timing out.
    private func completeHandshake() -> DTLSStateChange {
        switch verifiedKeyingMaterial() {
        case .success(let material):
            state = .connected
            return .connected(material)
        case .failure(let failure):
            cdtls_link_shutdown(link)
            state = .failed(failure.reason)
            return .failed(failure.reason)
        }
    }

    /// Why a finished handshake is not accepted.
    private struct VerificationFailure: Error {
        let reason: String
    }

    /// The keying material, only if the peer's certificate matches the expected fingerprint and a
    /// supported SRTP profile was negotiated.
    private func verifiedKeyingMaterial() -> Result<SRTPKeyingMaterial, VerificationFailure> {
        var digest = [UInt8](repeating: 0, count: DTLSFingerprint.digestLength)
        guard cdtls_link_peer_certificate_sha256(link, &digest) == 1, let presented = DTLSFingerprint(digest: digest)
        else {
            return .failure(VerificationFailure(reason: "the peer presented no certificate"))
        }
        guard presented == expectedFingerprint else {
            return .failure(
                VerificationFailure(
                    reason: "peer certificate \(presented) does not match the signalled \(expectedFingerprint)"))
        }
        let profileID = cdtls_link_selected_srtp_profile(link)
        guard let profileID = UInt16(exactly: profileID), let profile = SRTPProfile(protectionProfileID: profileID)
        else {
            return .failure(VerificationFailure(reason: "no supported SRTP profile was negotiated (id \(profileID))"))
        }
        var exported = [UInt8](repeating: 0, count: 2 * (profile.masterKeyLength + profile.masterSaltLength))
        guard cdtls_link_export_srtp_keying_material(link, &exported, exported.count) == 1,
            let material = SRTPKeyingMaterial(exporterOutput: exported, profile: profile, isClient: role == .client)
        else {
            return .failure(VerificationFailure(reason: "exporting the SRTP keying material failed"))
        }
        return .success(material)
    }

    /// Takes the datagrams OpenSSL wrote since the last drain.
    private func drainDatagrams() -> [[UInt8]] {
        let count = cdtls_link_outgoing_count(link)
        guard count > 0 else { return [] }
        var datagrams: [[UInt8]] = []
        datagrams.reserveCapacity(count)
        for index in 0..<count {
            var length = 0
            guard let bytes = cdtls_link_outgoing_datagram(link, index, &length) else { continue }
            datagrams.append(Array(UnsafeBufferPointer(start: bytes, count: length)))
        }
        cdtls_link_clear_outgoing(link)
        return datagrams
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
