import Logging

/// What a ``PeerTransport`` tells its owner (the SFU side of a peer connection).
protocol PeerTransportDelegate: AnyObject {
    /// DTLS finished and SRTP keys are in place: media may flow.
    func transportConnected(_ transport: PeerTransport)
    /// A decrypted RTP packet.
    func transport(_ transport: PeerTransport, receivedRTP packet: [UInt8], at now: ContinuousClock.Instant)
    /// A decrypted RTCP compound packet.
    func transport(_ transport: PeerTransport, receivedRTCP packet: [UInt8], at now: ContinuousClock.Instant)
    /// The transport failed or ended (DTLS failure or close, ICE consent lost); it sends nothing more.
    func transportClosed(_ transport: PeerTransport, reason: String)
}

/// One peer connection's bundled transport: ICE-lite checks, then DTLS as server (the node answers
/// `setup:passive` and requires `active` answers to its offers), then SRTP. Plain RTP and SDES keys do not
/// exist here: media flows only after a DTLS handshake whose peer certificate matched the SDP fingerprint.
/// Confined to the media event loop, like the ``MediaRouter`` that feeds it.
final class PeerTransport {
    enum State: Equatable {
        /// Waiting for the remote description (a subscribe offer not yet answered).
        case awaitingRemote
        case connecting
        case connected
        case closed
    }

    let credentials: ICECredentials
    private(set) var state: State = .awaitingRemote
    weak var delegate: PeerTransportDelegate?
    private unowned let router: MediaRouter
    private let certificate: DTLSCertificate
    private let logger: Logger
    private var ice: ICELiteAgent
    private var dtls: DTLSEndpoint?
    private var srtp: SRTPContext?
    private var dtlsRetransmitAt: ContinuousClock.Instant?
    /// Where packets leave: the nominated address (or, until nomination, the last one that passed a check).
    private var sink: MediaSink?
    private var nominated = false
    private(set) var authenticatedAddresses: Set<TransportAddress> = []

    init(credentials: ICECredentials, certificate: DTLSCertificate, router: MediaRouter, logger: Logger) {
        self.credentials = credentials
        self.certificate = certificate
        self.router = router
        self.logger = logger
        self.ice = ICELiteAgent(local: credentials)
        router.register(self)
    }

    /// Learns the peer's ICE credentials and certificate fingerprint (`sha-256 AB:…`, from its SDP); checks
    /// and DTLS are accepted from then on.
    func setRemote(credentials: ICECredentials, fingerprint: String) throws {
        guard state == .awaitingRemote else { return }
        ice.setRemoteCredentials(credentials)
        dtls = try DTLSEndpoint(role: .server, certificate: certificate, remoteFingerprint: fingerprint)
        state = .connecting
    }

    var isConnected: Bool { state == .connected }

    // MARK: Inbound

    /// Answers a STUN message; `true` when it was a valid check, so its address may send DTLS and media.
    func receiveSTUN(_ bytes: [UInt8], from address: TransportAddress, sink: MediaSink, at now: ContinuousClock.Instant) -> Bool {
        guard state != .closed else { return false }
        let reply = ice.receive(bytes, from: address, at: now)
        if let response = reply.response { router.send(response, to: sink) }
        switch reply.event {
        case .nominated(let selected):
            authenticatedAddresses.insert(selected)
            self.sink = sink
            nominated = true
            return true
        case .consentRefreshed(let checked):
            authenticatedAddresses.insert(checked)
            if !nominated { self.sink = sink }
            return true
        case .rejected:
            return false
        }
    }

    func receiveDTLS(_ bytes: [UInt8], at now: ContinuousClock.Instant) {
        guard let dtls, state == .connecting || state == .connected else { return }
        let events = dtls.receive(bytes)
        send(events.datagrams)
        scheduleRetransmit(now)
        switch events.stateChange {
        case .connected(let keys):
            do {
                srtp = try SRTPContext(keyingMaterial: keys)
                state = .connected
                logger.debug("peer transport connected", metadata: ["ufrag": "\(credentials.ufrag)", "profile": "\(keys.profile)"])
                delegate?.transportConnected(self)
            } catch {
                close(reason: "SRTP setup failed: \(error)")
            }
        case .failed(let reason):
            close(reason: "DTLS failed: \(reason)")
        case .closed:
            close(reason: "DTLS closed by the peer")
        case nil:
            break
        }
    }

    func receiveSRTP(_ packet: inout [UInt8], at now: ContinuousClock.Instant) {
        guard let srtp, state == .connected else { return }
        do {
            if DatagramKind.classify(packet) == .rtcp {
                try srtp.unprotectRTCP(&packet)
                delegate?.transport(self, receivedRTCP: packet, at: now)
            } else {
                try srtp.unprotectRTP(&packet)
                delegate?.transport(self, receivedRTP: packet, at: now)
            }
        } catch {
            // Replays, forgeries and packets from before the keys: dropped, as SRTP requires.
        }
    }

    // MARK: Outbound

    /// Encrypts and queues an RTP packet (the caller flushes the router); `false` when nothing was sent.
    @discardableResult
    func sendRTP(_ packet: inout [UInt8]) -> Bool {
        guard let srtp, let sink, state == .connected else { return false }
        do {
            try srtp.protectRTP(&packet)
            router.send(packet, to: sink)
            return true
        } catch {
            logger.debug("SRTP protect failed", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Queues an already protected RTP packet again: a retransmission is the same SRTP packet, so it is not
    /// encrypted twice.
    func resendProtectedRTP(_ packet: [UInt8]) {
        guard let sink, state == .connected else { return }
        router.send(packet, to: sink)
    }

    func sendRTCP(_ packet: inout [UInt8]) {
        guard let srtp, let sink, state == .connected else { return }
        do {
            try srtp.protectRTCP(&packet)
            router.send(packet, to: sink)
        } catch {
            logger.debug("SRTCP protect failed", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Time and teardown

    /// DTLS retransmissions and ICE consent (RFC 7675): a peer that stopped checking is gone.
    func tick(at now: ContinuousClock.Instant) {
        guard state != .closed else { return }
        if let at = dtlsRetransmitAt, now >= at, let dtls {
            send(dtls.handleTimeout())
            scheduleRetransmit(now)
        }
        if nominated, ice.consentExpired(at: now) { close(reason: "ICE consent expired") }
    }

    /// Sends close_notify when connected, and stops.
    func close(reason: String) {
        guard state != .closed else { return }
        if state == .connected, let dtls { send(dtls.close()) }
        state = .closed
        srtp = nil
        router.unregister(self)
        logger.debug("peer transport closed", metadata: ["ufrag": "\(credentials.ufrag)", "reason": "\(reason)"])
        delegate?.transportClosed(self, reason: reason)
    }

    /// The router gave `address` to another peer, or its TCP connection closed.
    func forget(_ address: TransportAddress) {
        authenticatedAddresses.remove(address)
    }

    private func send(_ datagrams: [[UInt8]]) {
        guard let sink else { return }
        for datagram in datagrams { router.send(datagram, to: sink) }
    }

    private func scheduleRetransmit(_ now: ContinuousClock.Instant) {
        dtlsRetransmitAt = (state == .connecting ? dtls?.retransmitDeadline : nil).map { now + $0 }
    }
}
