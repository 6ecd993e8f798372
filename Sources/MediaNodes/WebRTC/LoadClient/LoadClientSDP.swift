/// The node's side of one peer connection as its SDP describes it: where to send checks and media, the
/// ICE credentials to sign them with, and the certificate DTLS must present.
struct NodeEndpoint: Sendable, Hashable {
    var credentials: ICECredentials
    var fingerprint: String
    var host: String
    var port: Int

    /// Reads the first live section's ICE credentials, the sha-256 fingerprint and the first UDP host
    /// candidate; `hostOverride` replaces the candidate's address (a node advertising an address the
    /// load generator cannot reach).
    init(from description: SessionDescription, hostOverride: String? = nil) throws {
        guard let section = description.media.first(where: { !$0.isRejected }) ?? description.media.first,
            let ufrag = description.iceUfrag(for: section), let password = description.icePwd(for: section)
        else { throw LoadGeneratorError("the node's SDP has no ICE credentials") }
        guard let fingerprint = description.fingerprints(for: section).first(where: { $0.algorithm == "sha-256" }) else {
            throw LoadGeneratorError("the node's SDP has no sha-256 fingerprint")
        }
        // <foundation> <component> <transport> <priority> <address> <port> typ host
        let candidate = section.candidates.lazy.map { $0.split(separator: " ") }
            .first { $0.count >= 6 && $0[2].lowercased() == "udp" }
        guard let candidate, let port = Int(candidate[5]) else {
            throw LoadGeneratorError("the node's SDP has no UDP candidate")
        }
        self.credentials = ICECredentials(ufrag: ufrag, password: password)
        self.fingerprint = "\(fingerprint.algorithm) \(fingerprint.value)"
        self.host = hostOverride ?? String(candidate[4])
        self.port = port
    }
}

/// What the load client says in SDP about itself: its ICE credentials and certificate fingerprint.
/// Writes a publisher's offer and answers the node's subscribe offers, as a browser would, minus
/// everything the node does not need (no candidates: an ICE-lite node learns addresses from checks).
struct LoadClientSDP {
    static let proto = "UDP/TLS/RTP/SAVPF"
    /// Chrome's usual Opus payload type.
    static let opusPayloadType: UInt8 = 111

    let credentials: ICECredentials
    let fingerprint: String
    let sessionID = String(UInt64.random(in: 1...UInt64(Int64.max)))

    /// A sendonly Opus audio section (mid 0, SSRC announced), bundled and rtcp-muxed, `a=setup:actpass`.
    func publishOffer(ssrc: UInt32, streamID: String) -> SessionDescription {
        var audio = MediaDescription(
            media: "audio", port: 9, proto: Self.proto, formats: [String(Self.opusPayloadType)],
            connection: SDPConnection(address: "0.0.0.0"))
        audio.append("mid", "0")
        appendTransport(to: &audio, setup: .actpass)
        audio.append(MediaDirection.sendonly.rawValue)
        let msid = MSID(streamID: streamID, trackID: "audio")
        audio.append(msid.attribute)
        audio.append("rtcp-mux")
        audio.append(RTPMap(payloadType: Self.opusPayloadType, encodingName: "opus", clockRate: 48000, channels: 2).attribute)
        audio.append(FormatParameters(payloadType: Self.opusPayloadType, parameters: "minptime=10;useinbandfec=1").attribute)
        audio.append(SSRCAttribute(ssrc: ssrc, name: "cname", value: streamID).attribute)
        audio.append(SSRCAttribute(ssrc: ssrc, name: "msid", value: msid.attributeValue).attribute)
        return session(version: 1, bundle: ["0"], media: [audio])
    }

    /// The answer to a subscribe offer: every live section recvonly with the offered codec and
    /// `a=setup:active` (the node is the DTLS server); stopped sections stay stopped, in place.
    func subscribeAnswer(to offer: SessionDescription, version: UInt64) -> SessionDescription {
        var bundle: [String] = []
        let sections = offer.media.map { offered -> MediaDescription in
            let mid = offered.mid ?? ""
            var section = MediaDescription(
                media: offered.media, port: offered.isRejected ? 0 : 9, proto: offered.proto, formats: offered.formats,
                connection: SDPConnection(address: "0.0.0.0"))
            section.append("mid", mid)
            appendTransport(to: &section, setup: .active)
            let live = !offered.isRejected && offered.direction.sends
            section.append((live ? MediaDirection.recvonly : .inactive).rawValue)
            section.append("rtcp-mux")
            section.attributes += offered.attributes.filter { $0.name == "rtpmap" || $0.name == "fmtp" }
            if live { bundle.append(mid) }
            return section
        }
        return session(version: version, bundle: bundle, media: sections)
    }

    private func appendTransport(to section: inout MediaDescription, setup: DTLSSetup) {
        section.append("ice-ufrag", credentials.ufrag)
        section.append("ice-pwd", credentials.password)
        section.append("fingerprint", fingerprint)
        section.append("setup", setup.rawValue)
    }

    private func session(version: UInt64, bundle: [String], media: [MediaDescription]) -> SessionDescription {
        var session = SessionDescription(origin: SDPOrigin(sessionID: sessionID, sessionVersion: version), media: media)
        if !bundle.isEmpty { session.append(SDPGroup(semantics: SDPGroup.bundle, mids: bundle).attribute) }
        session.append("msid-semantic", " WMS *")
        return session
    }
}
