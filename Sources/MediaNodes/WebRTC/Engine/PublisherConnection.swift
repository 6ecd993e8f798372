import Platform

/// A participant's publish peer connection: the client offers its tracks, the node answers and receives.
/// Incoming RTP is routed to its ``UpTrack`` by SSRC, learned from the SDP or, for simulcast and clients
/// that announce no SSRCs, from the first packet's `mid`/`rid` header extensions (RFC 8843, RFC 8852).
final class PublisherConnection: PeerTransportDelegate {
    /// Where packets of one SSRC go.
    private struct Route {
        var track: UpTrack
        var layer: Int
        var isRepair: Bool
    }

    private unowned let participant: MediaParticipant
    private unowned let engine: EngineState
    let transport: PeerTransport
    private var remoteUfrag: String?
    private var answerVersion: UInt64 = 0
    private(set) var upTracks: [UpTrack] = []
    private var routes: [UInt32: Route] = [:]
    private var tracksByMid: [String: UpTrack] = [:]
    private var extensions = HeaderExtensionIDs()
    /// The SSRC the node's feedback (PLI, NACK, REMB) is sent from.
    private let feedbackSSRC = UInt32.random(in: 1...UInt32.max)

    init(participant: MediaParticipant, engine: EngineState) {
        self.participant = participant
        self.engine = engine
        self.transport = PeerTransport(credentials: .random(), certificate: engine.certificate, router: engine.router, logger: engine.logger)
        transport.delegate = self
    }

    func isSameSession(as offer: SessionDescription) -> Bool {
        remoteUfrag != nil && offer.media.first.flatMap { offer.iceUfrag(for: $0) } == remoteUfrag
    }

    /// Answers `offer` and binds each published track to its media section.
    func negotiate(_ offer: SessionDescription, bindings: [PublishBinding]) throws -> String {
        let result: PublishAnswer
        do {
            answerVersion += 1
            result = try PublishNegotiation.answer(
                to: offer, transport: engine.transportParameters(transport.credentials),
                origin: SDPOrigin(sessionID: engine.sessionID, sessionVersion: answerVersion))
        } catch {
            throw SignalingError(id: nil, code: 53404, message: "Cannot answer the offer: \(error.message)")
        }
        let sections = try Self.sections(for: bindings, in: result.media)
        if remoteUfrag == nil {
            do {
                try transport.setRemote(credentials: result.remote.iceCredentials, fingerprint: result.remote.fingerprintText)
            } catch {
                throw SignalingError(id: nil, code: 53000, message: "Cannot set up DTLS: \(error)")
            }
            remoteUfrag = result.remote.iceUfrag
        }
        extensions = HeaderExtensionIDs(result.media)
        for (binding, media) in zip(bindings, sections) {
            guard let codec = media.codec else { continue }
            let track = UpTrack(
                sid: binding.track, kind: binding.kind, publisher: participant.sid, media: media, codec: codec, room: participant.room)
            track.publisherConnection = self
            upTracks.append(track)
            tracksByMid[media.mid] = track
            participant.room.add(track)
            for (layer, ssrc) in track.announcedSSRCs.enumerated() {
                routes[ssrc] = Route(track: track, layer: layer, isRepair: false)
                if let repair = media.ssrcs.rtx(for: ssrc) { routes[repair] = Route(track: track, layer: layer, isRepair: true) }
            }
        }
        return result.answer.serialized()
    }

    /// The accepted media section of each binding: by `mid`, else the next unbound one of its kind.
    private static func sections(for bindings: [PublishBinding], in media: [NegotiatedMedia]) throws -> [NegotiatedMedia] {
        var unbound = media.filter(\.accepted)
        return try bindings.map { binding in
            let index = binding.mid.flatMap { mid in unbound.firstIndex { $0.mid == mid } }
                ?? unbound.firstIndex { $0.kind.rawValue == binding.kind.rawValue && binding.mid == nil }
            guard let index, unbound[index].kind.rawValue == binding.kind.rawValue, unbound[index].codec != nil else {
                throw SignalingError(
                    id: nil, code: 53404,
                    message: "No accepted \(binding.kind.rawValue) media section for track \(binding.track)\(binding.mid.map { " (mid \($0))" } ?? "")")
            }
            return unbound.remove(at: index)
        }
    }

    /// The track stopped being published here.
    func forget(_ track: UpTrack) {
        upTracks.removeAll { $0 === track }
        tracksByMid = tracksByMid.filter { $0.value !== track }
        routes = routes.filter { $0.value.track !== track }
    }

    // MARK: PeerTransportDelegate

    func transportConnected(_ transport: PeerTransport) {}

    func transport(_ transport: PeerTransport, receivedRTP packet: [UInt8], at now: ContinuousClock.Instant) {
        guard let header = try? RTPHeader(parsing: packet) else { return }
        guard let route = routes[header.ssrc] ?? learnRoute(header, packet) else { return }
        if route.isRepair {
            guard header.payloadLength > 0,  // padding-only probes carry nothing to forward
                  let original = try? RTPRetransmission.unwrap(
                      packet, header: header, originalSSRC: route.track.ssrc(ofLayer: route.layer), originalPayloadType: route.track.payloadType),
                  let originalHeader = try? RTPHeader(parsing: original) else { return }
            route.track.receive(original, header: originalHeader, layer: route.layer, extensions: extensions, at: now)
        } else {
            route.track.receive(packet, header: header, layer: route.layer, extensions: extensions, at: now)
        }
    }

    func transport(_ transport: PeerTransport, receivedRTCP packet: [UInt8], at now: ContinuousClock.Instant) {
        // Sender reports and the publisher's own feedback need no action from a forwarding-only SFU.
    }

    func transportClosed(_ transport: PeerTransport, reason: String) {
        engine.logger.info("publish connection closed", metadata: ["participant": "\(participant.sid)", "reason": "\(reason)"])
    }

    /// Binds an SSRC the SDP did not announce, from the packet's `mid` and `rid` (or repaired `rid`) extensions,
    /// or, with one track and no extensions, by payload type.
    private func learnRoute(_ header: RTPHeader, _ packet: [UInt8]) -> Route? {
        let mid = extensions.mid.flatMap { header.extensionValue(id: $0, in: packet) }.map { String(decoding: $0, as: UTF8.self) }
        guard let track = mid.flatMap({ tracksByMid[$0] }) ?? upTracks.first(where: { $0.carries(payloadType: header.payloadType) }) else {
            return nil
        }
        let rid = extensions.rid.flatMap { header.extensionValue(id: $0, in: packet) }.map { String(decoding: $0, as: UTF8.self) }
        let repairedRid = extensions.repairedRid.flatMap { header.extensionValue(id: $0, in: packet) }.map { String(decoding: $0, as: UTF8.self) }
        let isRepair = repairedRid != nil || header.payloadType == track.repairPayloadType
        let layer = track.layer(ofRid: repairedRid ?? rid)
        if !isRepair { track.learn(ssrc: header.ssrc, layer: layer) }
        let route = Route(track: track, layer: layer, isRepair: isRepair)
        routes[header.ssrc] = route
        return route
    }

    // MARK: Feedback to the publisher

    func requestKeyframe(ssrc: UInt32) {
        var packet = RTCPPacket.serialize([.pli(RTCPPictureLossIndication(senderSSRC: feedbackSSRC, mediaSSRC: ssrc))])
        transport.sendRTCP(&packet)
    }

    func tick(at now: ContinuousClock.Instant, slow: Bool) {
        transport.tick(at: now)
        guard transport.isConnected else { return }
        var feedback: [RTCPPacket] = []
        for track in upTracks {
            for (ssrc, lost) in track.dueRetransmissionRequests(at: now) where !lost.isEmpty {
                feedback.append(.genericNACK(RTCPGenericNACK(senderSSRC: feedbackSSRC, mediaSSRC: ssrc, lostSequenceNumbers: lost)))
            }
        }
        if slow {
            // A generous REMB lets browsers ramp up: the SFU itself does no congestion control yet.
            let ssrcs = upTracks.flatMap(\.knownSSRCs)
            if !ssrcs.isEmpty { feedback.append(.remb(RTCPReceiverEstimatedMaxBitrate(senderSSRC: feedbackSSRC, bitrate: 2_500_000, ssrcs: ssrcs))) }
        }
        guard !feedback.isEmpty else { return }
        var packet = RTCPPacket.serialize(feedback)
        transport.sendRTCP(&packet)
    }

    func close() {
        transport.close(reason: "participant left")
    }
}

/// The header extension IDs a publisher negotiated (the same across its bundle).
struct HeaderExtensionIDs {
    var mid: UInt8?
    var rid: UInt8?
    var repairedRid: UInt8?
    var audioLevel: UInt8?

    init() {}

    init(_ media: [NegotiatedMedia]) {
        for section in media where section.accepted {
            mid = mid ?? Self.id(RTPHeaderExtensionURI.mid, in: section)
            rid = rid ?? Self.id(RTPHeaderExtensionURI.rtpStreamID, in: section)
            repairedRid = repairedRid ?? Self.id(RTPHeaderExtensionURI.repairedRTPStreamID, in: section)
            audioLevel = audioLevel ?? Self.id(RTPHeaderExtensionURI.audioLevel, in: section)
        }
    }

    private static func id(_ uri: String, in section: NegotiatedMedia) -> UInt8? {
        section.headerExtensionID(for: uri).flatMap { UInt8(exactly: $0) }
    }
}
