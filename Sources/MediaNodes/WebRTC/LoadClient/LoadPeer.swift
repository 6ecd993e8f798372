import NIOCore
import NIOPosix

/// One client-side peer connection of the load generator, on its own UDP socket (the node tells peer
/// connections apart by ICE ufrag, then by source address): the controlling side of ICE towards the
/// ICE-lite node, DTLS as client, then SRTP. A publisher sends Opus-sized audio packets at a fixed rate;
/// a subscriber decrypts what the node forwards and measures it (see ``LoadProbe``).
///
/// `@unchecked Sendable`: every mutable field is touched only on `loop`, the event loop of the socket;
/// the public methods hop onto it.
final class LoadPeer: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// Host candidates' priority with the highest local preference (RFC 8445 §5.1.2.1).
    private static let checkPriority: UInt32 = 2_130_706_431
    private static let checkInterval: TimeAmount = .milliseconds(100)
    private static let maximumChecks = 100
    /// Well inside the node's 30 s consent timeout (RFC 7675 asks for about 5 s).
    private static let consentInterval: TimeAmount = .seconds(5)

    let loop: EventLoop
    let credentials: ICECredentials
    private let certificate: DTLSCertificate
    private var channel: Channel?
    private var remote: SocketAddress?
    private var checks: ICEClientChecks?
    private var pendingChecks: Set<STUNTransactionID> = []
    private var checksSent = 0
    private var dtls: DTLSEndpoint?
    private var dtlsTimer: Scheduled<Void>?
    private var srtp: SRTPContext?
    /// Completed (and cleared) once: SRTP keys are in place, or the connection failed.
    private var connected: EventLoopPromise<Void>?
    private var isConnected = false
    private var isClosed = false
    private var sender: LoadSender?
    private var probe = LoadProbe()
    private var srtpFailures = 0

    init(loop: EventLoop, certificate: DTLSCertificate) {
        self.loop = loop
        self.certificate = certificate
        self.credentials = .random()
    }

    /// Binds a UDP socket on `group`'s next loop for a new peer.
    static func bind(group: EventLoopGroup, certificate: DTLSCertificate) async throws -> LoadPeer {
        let loop = group.next()
        let peer = LoadPeer(loop: loop, certificate: certificate)
        let channel = try await DatagramBootstrap(group: loop)
            .channelOption(.datagramVectorReadMessageCount, value: 32)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 32 * 2048))
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(peer) }
            }
            .bind(host: "0.0.0.0", port: 0).get()
        try await loop.submit { peer.channel = channel }.get()
        return peer
    }

    /// Runs ICE (nominating at once) and the DTLS handshake with `node`; succeeds once SRTP keys are in place.
    func connect(to node: NodeEndpoint) -> EventLoopFuture<Void> {
        loop.flatSubmit {
            let promise = self.loop.makePromise(of: Void.self)
            self.connected = promise
            do {
                self.remote = try SocketAddress.makeAddressResolvingHost(node.host, port: node.port)
            } catch {
                promise.fail(error)
                return promise.futureResult
            }
            self.checks = ICEClientChecks(local: self.credentials, remote: node.credentials)
            self.dtls = try? DTLSEndpoint(
                role: .client, certificate: self.certificate, remoteFingerprint: node.fingerprint,
                initialRetransmitTimeout: .milliseconds(200))
            guard self.dtls != nil else {
                promise.fail(LoadGeneratorError("cannot set up DTLS towards \(node.fingerprint)"))
                return promise.futureResult
            }
            self.sendCheck()
            return promise.futureResult
        }
    }

    /// Starts sending `payloadSize`-byte packets every `interval` until `deadline`, at a random phase within
    /// the first interval: independent clients do not send in step, and a burst of every publisher at once
    /// would measure queueing behind the burst rather than forwarding.
    /// With `payloads` (real Opus frames) those are looped instead of synthetic payloads.
    func startSending(ssrc: UInt32, payloadSize: Int, interval: TimeAmount, until deadline: NIODeadline, payloads: [[UInt8]]? = nil) {
        loop.execute {
            let start = NIODeadline.now() + .nanoseconds(.random(in: 0..<max(interval.nanoseconds, 1)))
            var sender = LoadSender(
                ssrc: ssrc, payloadSize: payloadSize, interval: interval, start: start, deadline: deadline, payloads: payloads)
            self.sender = sender
            self.sendDuePackets(&sender)
        }
    }

    /// What this peer sent and received so far.
    func statistics() -> EventLoopFuture<LoadPeerStatistics> {
        loop.submit {
            LoadPeerStatistics(sent: self.sender?.sent ?? 0, probe: self.probe, srtpFailures: self.srtpFailures)
        }
    }

    func close() async {
        try? await loop.flatSubmit {
            self.isClosed = true
            self.dtlsTimer?.cancel()
            return self.channel?.close() ?? self.loop.makeSucceededVoidFuture()
        }.get()
    }

    // MARK: ChannelInboundHandler

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        switch DatagramKind.classify(bytes) {
        case .stun: receiveCheckResponse(bytes)
        case .dtls: receiveDTLS(bytes)
        case .rtp: receiveRTP(bytes)
        case .rtcp, .unknown: break  // the node's feedback (PLI, NACK, REMB) needs no answer from a synthetic source
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A refused datagram (ICMP port unreachable) must not close the socket; checks retry.
    }

    // MARK: ICE

    /// Checks every 100 ms until connected, then every 5 s as consent freshness (RFC 7675).
    private func sendCheck() {
        guard let checks, !isClosed else { return }
        if !isConnected, checksSent >= Self.maximumChecks { return fail("no answer to \(Self.maximumChecks) ICE checks") }
        let transactionID = STUNTransactionID.random()
        pendingChecks.insert(transactionID)
        checksSent += 1
        send(checks.bindingRequest(priority: Self.checkPriority, useCandidate: true, transactionID: transactionID))
        loop.scheduleTask(in: isConnected ? Self.consentInterval : Self.checkInterval) { self.sendCheck() }
    }

    private func receiveCheckResponse(_ bytes: [UInt8]) {
        guard let checks, let message = try? STUNMessage(parsing: bytes), pendingChecks.remove(message.transactionID) != nil else { return }
        switch checks.validateResponse(bytes, to: message.transactionID) {
        case .succeeded:
            startDTLSOnce()
        case .failed(let error):
            fail("ICE check refused: \(error)")
        case .invalid:
            break
        }
    }

    // MARK: DTLS

    private func startDTLSOnce() {
        guard let dtls, dtls.state == .handshaking, dtlsTimer == nil else { return }
        for datagram in dtls.start() { send(datagram) }
        scheduleDTLSTimer()
    }

    private func receiveDTLS(_ bytes: [UInt8]) {
        guard let dtls else { return }
        let events = dtls.receive(bytes)
        for datagram in events.datagrams { send(datagram) }
        switch events.stateChange {
        case .connected(let keys):
            dtlsTimer?.cancel()
            do {
                srtp = try SRTPContext(keyingMaterial: keys)
                isConnected = true
                connected?.succeed()
                connected = nil
            } catch {
                fail("SRTP setup failed: \(error)")
            }
        case .failed(let reason): fail("DTLS failed: \(reason)")
        case .closed: fail("the node closed DTLS")
        case nil: scheduleDTLSTimer()
        }
    }

    private func scheduleDTLSTimer() {
        dtlsTimer?.cancel()
        guard let dtls, let wait = dtls.retransmitDeadline else { return }
        let nanoseconds = wait.components.seconds * 1_000_000_000 + wait.components.attoseconds / 1_000_000_000
        dtlsTimer = loop.scheduleTask(in: .nanoseconds(nanoseconds)) { self.retransmitDTLS() }
    }

    private func retransmitDTLS() {
        guard let dtls, !isClosed else { return }
        for datagram in dtls.handleTimeout() { send(datagram) }
        if case .failed(let reason) = dtls.state { return fail("DTLS failed: \(reason)") }
        scheduleDTLSTimer()
    }

    // MARK: Media

    private func sendDuePackets(_ sender: inout LoadSender) {
        guard let srtp else { return }
        let now = NIODeadline.now()
        while var packet = sender.nextPacket(at: now) {
            do {
                try srtp.protectRTP(&packet)
                send(packet, flush: false)
            } catch {
                srtpFailures += 1
            }
        }
        channel?.flush()
        self.sender = sender
        guard let next = sender.nextSendTime, !isClosed else { return }
        loop.scheduleTask(deadline: next) {
            guard var sender = self.sender else { return }
            self.sendDuePackets(&sender)
        }
    }

    private func receiveRTP(_ bytes: [UInt8]) {
        guard let srtp else { return }
        var packet = bytes
        do {
            try srtp.unprotectRTP(&packet)
        } catch {
            srtpFailures += 1
            return
        }
        let arrival = NIODeadline.now().uptimeNanoseconds
        guard let header = try? RTPHeader(parsing: packet) else { return }
        probe.record(packet[header.payloadRange], ssrc: header.ssrc, arrivalNanoseconds: arrival)
    }

    // MARK: Plumbing

    private func send(_ bytes: [UInt8], flush: Bool = true) {
        guard let channel, let remote else { return }
        let envelope = AddressedEnvelope(remoteAddress: remote, data: channel.allocator.buffer(bytes: bytes))
        if flush { channel.writeAndFlush(envelope, promise: nil) } else { channel.write(envelope, promise: nil) }
    }

    private func fail(_ reason: String) {
        connected?.fail(LoadGeneratorError(reason))
        connected = nil
    }
}
