import Platform

/// A participant's subscribe peer connection: the node offers one send-only media section per subscribed
/// track and the client answers. Sections are never reordered or reused: an ended subscription leaves an
/// inactive section, as JSEP wants. One offer is outstanding at a time; changes made meanwhile are
/// offered when its answer arrives.
final class SubscriberConnection: PeerTransportDelegate {
    private unowned let participant: MediaParticipant
    private unowned let engine: EngineState
    let transport: PeerTransport
    private var downTracks: [DownTrack] = []
    private var revision = 0
    private var outstanding: (revision: Int, offer: SessionDescription)?
    private var changedSinceOffer = false
    private let cname = "parley-\(UInt32.random(in: 1...UInt32.max))"

    init(participant: MediaParticipant, engine: EngineState) {
        self.participant = participant
        self.engine = engine
        self.transport = PeerTransport(credentials: .random(), certificate: engine.certificate, router: engine.router, logger: engine.logger)
        transport.delegate = self
    }

    func add(_ upTrack: UpTrack, preference: SimulcastPreference) {
        guard !downTracks.contains(where: { $0.upTrack === upTrack && !$0.ended }) else { return }
        let down = DownTrack(
            upTrack: upTrack, mid: String(downTracks.count), payloadType: SubscribePayloadTypes.payloadType(for: upTrack.codec),
            preference: preference, subscriber: self)
        downTracks.append(down)
        upTrack.attach(down)
        renegotiate()
    }

    func remove(track: SID) {
        guard let down = downTracks.first(where: { $0.upTrack.sid == track && !$0.ended }) else { return }
        trackEnded(down)
    }

    /// The subscription ended (unsubscribed, or the track was unpublished).
    func trackEnded(_ down: DownTrack) {
        guard !down.ended else { return }
        down.end()
        renegotiate()
    }

    func setPreference(_ preference: SimulcastPreference, track: SID) {
        downTracks.first { $0.upTrack.sid == track && !$0.ended }?.setPreference(preference)
    }

    private func renegotiate() {
        guard outstanding == nil else {
            changedSinceOffer = true
            return
        }
        guard !downTracks.isEmpty else { return }
        revision += 1
        let tracks = downTracks.map { down in
            OutgoingTrack(
                mid: down.mid, kind: down.upTrack.kind == .audio ? .audio : .video,
                codec: SubscribePayloadTypes.codec(for: down.upTrack.codec, payloadType: down.payloadType), rtxPayloadType: nil,
                ssrc: down.ssrc, rtxSSRC: nil, cname: cname, streamID: down.upTrack.publisher.rawValue,
                trackID: down.upTrack.sid.rawValue, active: !down.ended)
        }
        let offer: SessionDescription
        do {
            offer = try SubscribeOffer.make(
                tracks: tracks, transport: engine.transportParameters(transport.credentials),
                origin: SDPOrigin(sessionID: engine.sessionID, sessionVersion: UInt64(revision)))
        } catch {
            engine.logger.error("could not make a subscribe offer", metadata: ["error": "\(error.message)"])
            return
        }
        outstanding = (revision, offer)
        let sections = downTracks.filter { !$0.ended }.map {
            SubscriberOffer.Section(mid: $0.mid, track: $0.upTrack.sid, publisher: $0.upTrack.publisher, kind: $0.upTrack.kind)
        }
        engine.emit(.subscriberOffer(
            participant: participant.sid, room: participant.room.sid,
            SubscriberOffer(revision: revision, sdp: offer.serialized(), sections: sections)))
    }

    /// Applies the client's answer: its transport parameters (first time) and which sections it took.
    func apply(answer text: String, revision answered: Int) throws {
        guard let outstanding, outstanding.revision == answered else {
            throw SignalingError(id: nil, code: 53404, message: "No subscriber offer of revision \(answered) is waiting for an answer")
        }
        let result: SubscribeAnswerResult
        do {
            result = try SubscribeAnswer.check(answer: try SessionDescription(parsing: text), for: outstanding.offer)
        } catch {
            throw SignalingError(id: nil, code: 53404, message: "Invalid subscriber answer: \(error.message)")
        }
        if transport.state == .awaitingRemote {
            do {
                try transport.setRemote(credentials: result.remote.iceCredentials, fingerprint: result.remote.fingerprintText)
            } catch {
                throw SignalingError(id: nil, code: 53000, message: "Cannot set up DTLS: \(error)")
            }
        }
        self.outstanding = nil
        let now = ContinuousClock.now
        for down in downTracks where !down.ended {
            let wasAccepted = down.accepted
            down.accepted = result.media.contains { $0.mid == down.mid && $0.accepted }
            if down.accepted, !wasAccepted, transport.isConnected { down.requestKeyframe(at: now) }
        }
        if changedSinceOffer {
            changedSinceOffer = false
            renegotiate()
        }
    }

    // MARK: PeerTransportDelegate

    func transportConnected(_ transport: PeerTransport) {
        let now = ContinuousClock.now
        for down in downTracks where down.accepted && !down.ended { down.requestKeyframe(at: now) }
    }

    func transport(_ transport: PeerTransport, receivedRTP packet: [UInt8], at now: ContinuousClock.Instant) {
        // Subscribers send no media on this connection.
    }

    func transport(_ transport: PeerTransport, receivedRTCP packet: [UInt8], at now: ContinuousClock.Instant) {
        guard let packets = try? RTCPPacket.parseCompound(packet) else { return }
        for feedback in packets {
            switch feedback {
            case .genericNACK(let nack):
                downTrack(ssrc: nack.mediaSSRC)?.retransmit(nack.lostSequenceNumbers, at: now)
            case .pli(let pli):
                downTrack(ssrc: pli.mediaSSRC)?.requestKeyframe(at: now)
            case .fir(let fir):
                for entry in fir.entries { downTrack(ssrc: entry.ssrc)?.requestKeyframe(at: now) }
            default:
                break
            }
        }
    }

    func transportClosed(_ transport: PeerTransport, reason: String) {
        engine.logger.info("subscribe connection closed", metadata: ["participant": "\(participant.sid)", "reason": "\(reason)"])
    }

    private func downTrack(ssrc: UInt32) -> DownTrack? {
        downTracks.first { $0.ssrc == ssrc && !$0.ended }
    }

    func tick(at now: ContinuousClock.Instant) {
        transport.tick(at: now)
    }

    func close() {
        for down in downTracks where !down.ended { down.end() }
        transport.close(reason: "participant left")
    }
}
