/// The node's answer to a publish offer, and what it agreed to receive.
struct PublishAnswer: Sendable, Hashable {
    var answer: SessionDescription
    /// One entry per offered m-line, in the offer's order.
    var media: [NegotiatedMedia]
    /// The client's ICE credentials, fingerprint and DTLS role (actpass or active).
    var remote: RemoteTransportParameters
}

/// Answers the offer of a participant's PUBLISH peer connection: the client sends, the node receives
/// (recvonly), ICE-lite and DTLS server (`a=setup:passive`). Audio and video m-lines with a usable codec are
/// accepted and bundled; data channels, unusable codecs and stopped m-lines are rejected (port 0) with their
/// mid kept. Offers without BUNDLE or rtcp-mux are refused.
enum PublishNegotiation {
    /// The answer to `offer`, written with the node's `transport` and `origin`; throws ``SDPError/unacceptable(_:)``
    /// for offers the node cannot serve.
    static func answer(
        to offer: SessionDescription, transport: NodeTransportParameters, origin: SDPOrigin
    ) throws(SDPError) -> PublishAnswer {
        guard !offer.media.isEmpty else { throw SDPError.unacceptable("The offer has no media section") }
        let mids = offer.media.compactMap(\.mid)
        guard Set(mids).count == mids.count else { throw SDPError.unacceptable("Two media sections of the offer share a mid") }
        let bundle = offer.bundleGroup?.mids ?? []
        var sections: [MediaDescription] = []
        var negotiated: [NegotiatedMedia] = []
        for section in offer.media {
            guard let mid = section.mid else {
                throw SDPError.unacceptable("Every media section of the offer needs an a=mid (Unified Plan)")
            }
            try checkTransport(of: section, mid: mid, bundle: bundle)
            if let media = negotiate(section, mid: mid), let codec = media.codec {
                sections.append(answerSection(for: section, media: media, codec: codec, transport: transport))
                negotiated.append(media)
            } else {
                let rejected = transport.rejectedSection(
                    media: section.media, proto: section.proto, formats: section.formats, mid: mid, setup: .passive
                )
                sections.append(rejected)
                negotiated.append(.rejected(mid: mid, kind: section.kind))
            }
        }
        let acceptedMIDs = Set(negotiated.filter(\.accepted).map(\.mid))
        let answerBundle = bundle.filter { acceptedMIDs.contains($0) }
        // The client uses the transport of the answer's first bundled section (the BUNDLE tag), or of its own
        // tag when the node accepted nothing.
        guard let transportMID = answerBundle.first ?? bundle.first, let transportSection = offer.media(withMID: transportMID)
        else {
            throw SDPError.unacceptable("The offer has no BUNDLE group (the node requires BUNDLE)")
        }
        let remote = try RemoteTransportParameters(
            of: offer, section: transportSection, allowedSetups: [.actpass, .active], role: "offer"
        )
        let answer = transport.session(origin: origin, bundle: answerBundle, media: sections)
        return PublishAnswer(answer: answer, media: negotiated, remote: remote)
    }

    /// Refuses an audio or video section the client still uses that is outside BUNDLE or without rtcp-mux.
    private static func checkTransport(of section: MediaDescription, mid: String, bundle: [String]) throws(SDPError) {
        guard section.kind == .audio || section.kind == .video, !section.isRejected else { return }
        guard bundle.contains(mid) else {
            throw SDPError.unacceptable("Media section \(mid) is not in an a=group:BUNDLE (the node requires BUNDLE)")
        }
        guard section.isRTCPMuxed else {
            throw SDPError.unacceptable("Media section \(mid) has no a=rtcp-mux (the node requires rtcp-mux)")
        }
    }

    /// What the node receives on a section, or nil to reject it.
    private static func negotiate(_ section: MediaDescription, mid: String) -> NegotiatedMedia? {
        guard !section.isRejected, section.proto.hasSuffix("RTP/SAVPF"), let (codec, rtxPayloadType) = PublishCodecPolicy.choose(in: section)
        else { return nil }
        let extensions = section.extMaps.filter { RTPHeaderExtensionURI.accepted.contains($0.uri) }
            .map { HeaderExtension(id: $0.id, uri: $0.uri) }
        var rids: [String] = []
        if let simulcast = section.simulcast {
            let sentRIDs = Set(section.rids.filter { $0.direction == .send }.map(\.id))
            rids = SimulcastDescription.rids(of: simulcast.send).filter { sentRIDs.contains($0) }
        }
        return NegotiatedMedia(
            mid: mid, kind: section.kind, accepted: true, direction: section.direction.sends ? .recvonly : .inactive,
            codec: codec, rtxPayloadType: rtxPayloadType, headerExtensions: extensions, ssrcs: OfferedSSRCs(of: section),
            rids: rids, msid: section.msid
        )
    }

    /// The answer's section for an accepted m-line.
    private static func answerSection(
        for offered: MediaDescription, media: NegotiatedMedia, codec: NegotiatedCodec, transport: NodeTransportParameters
    ) -> MediaDescription {
        var section = MediaDescription(
            media: offered.media, port: transport.defaultPort, proto: offered.proto,
            formats: codec.formats(rtxPayloadType: media.rtxPayloadType), connection: transport.defaultConnection
        )
        section.append("mid", media.mid)
        transport.appendCredentials(to: &section, setup: .passive)
        section.append(media.direction.rawValue)
        section.append("rtcp-mux")
        if offered.isRTCPReducedSize { section.append("rtcp-rsize") }
        section.attributes += codec.attributes(rtxPayloadType: media.rtxPayloadType)
        section.attributes += media.headerExtensions.map { ExtMap(id: $0.id, uri: $0.uri).attribute }
        if !media.rids.isEmpty, let simulcast = offered.simulcast {
            section.attributes += media.rids.map { RIDDescription(id: $0, direction: .recv).attribute }
            let kept = Set(media.rids)
            let streams = simulcast.send.map { $0.filter { kept.contains($0.rid) } }.filter { !$0.isEmpty }
            section.append(SimulcastDescription(receive: streams).attribute)
        }
        transport.appendCandidates(to: &section)
        return section
    }
}
