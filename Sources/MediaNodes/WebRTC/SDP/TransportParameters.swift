/// The node's side of a participant's transport, written into every answer and offer the node makes: ICE-lite
/// credentials, the DTLS certificate fingerprint and the host candidates the node listens on.
struct NodeTransportParameters: Sendable, Hashable {
    var iceUfrag: String
    var icePwd: String
    /// `sha-256 AB:CD:...`, written as the `a=fingerprint` value.
    var fingerprint: String
    /// Candidate attribute values (`1 1 udp 2130706431 10.0.0.7 40000 typ host`); a leading `candidate:`, as in
    /// `RTCIceCandidate.candidate`, is accepted too.
    var candidates: [String]

    init(iceUfrag: String, icePwd: String, fingerprint: String, candidates: [String]) {
        self.iceUfrag = iceUfrag
        self.icePwd = icePwd
        self.fingerprint = fingerprint
        self.candidates = candidates.map { $0.hasPrefix("candidate:") ? String($0.dropFirst("candidate:".count)) : $0 }
    }

    /// The port of the first candidate, or 9 (the JSEP "no address yet" port) without one.
    var defaultPort: Int { firstCandidateFields.flatMap { Int($0.port) } ?? 9 }

    /// The `c=` line for the first candidate's address, or `IN IP4 0.0.0.0` without one.
    var defaultConnection: SDPConnection {
        firstCandidateFields.map { SDPConnection(address: String($0.address)) } ?? SDPConnection(address: "0.0.0.0")
    }

    /// A session with the node's session-level lines: `a=ice-lite`, the BUNDLE group (left out when empty),
    /// `a=msid-semantic` and the fingerprint.
    func session(origin: SDPOrigin, bundle mids: [String], media: [MediaDescription]) -> SessionDescription {
        var session = SessionDescription(origin: origin, media: media)
        session.append("ice-lite")
        if !mids.isEmpty { session.append(SDPGroup(semantics: SDPGroup.bundle, mids: mids).attribute) }
        session.append("msid-semantic", " WMS *")
        session.append("fingerprint", fingerprint)
        return session
    }

    /// Appends the ICE credentials and the DTLS role. Rejected sections get them too: aiortc refuses a
    /// description with any section lacking them.
    func appendCredentials(to section: inout MediaDescription, setup: DTLSSetup) {
        section.append("ice-ufrag", iceUfrag)
        section.append("ice-pwd", icePwd)
        section.append("setup", setup.rawValue)
    }

    /// Appends every candidate, then `a=end-of-candidates`: an ICE-lite node knows them all up front.
    func appendCandidates(to section: inout MediaDescription) {
        for candidate in candidates { section.append("candidate", candidate) }
        section.append("end-of-candidates")
    }

    /// A section kept in the description with port 0 and its mid, so m-line order never changes.
    func rejectedSection(media: String, proto: String, formats: [String], mid: String, setup: DTLSSetup) -> MediaDescription {
        var section = MediaDescription(media: media, port: 0, proto: proto, formats: formats, connection: SDPConnection(address: "0.0.0.0"))
        section.append("mid", mid)
        appendCredentials(to: &section, setup: setup)
        section.append(MediaDirection.inactive.rawValue)
        // aiortc also insists on rtcp-mux for every RTP section, rejected or not.
        if MediaKind(media) == .audio || MediaKind(media) == .video { section.append("rtcp-mux") }
        return section
    }

    /// The address and port fields of the first candidate (`<foundation> <component> <transport> <priority>
    /// <address> <port> typ ...`).
    private var firstCandidateFields: (address: Substring, port: Substring)? {
        guard let first = candidates.first else { return nil }
        let fields = first.split(separator: " ")
        guard fields.count >= 6 else { return nil }
        return (fields[4], fields[5])
    }
}

/// The client's side of the transport, as its offer or answer describes it.
struct RemoteTransportParameters: Sendable, Hashable {
    var iceUfrag: String
    var icePwd: String
    /// The client's sha-256 certificate fingerprint, which the DTLS handshake must match.
    var fingerprint: SDPFingerprint
    var setup: DTLSSetup

    /// Reads the transport of the section that carries the BUNDLE (its own attributes, else the session's),
    /// refusing a missing ICE credential, a missing sha-256 fingerprint or a DTLS role not in `allowedSetups`.
    init(of description: SessionDescription, section: MediaDescription, allowedSetups: [DTLSSetup], role: String) throws(SDPError) {
        guard let ufrag = description.iceUfrag(for: section), let pwd = description.icePwd(for: section) else {
            throw SDPError.unacceptable("The \(role) has no ICE username fragment or password")
        }
        guard let fingerprint = description.fingerprints(for: section).first(where: { $0.algorithm == "sha-256" }) else {
            throw SDPError.unacceptable("The \(role) has no sha-256 DTLS fingerprint")
        }
        guard let setup = description.setup(for: section), allowedSetups.contains(setup) else {
            let allowed = allowedSetups.map(\.rawValue).joined(separator: " or ")
            throw SDPError.unacceptable("The \(role) must say a=setup:\(allowed) (the node is the DTLS server)")
        }
        self.init(iceUfrag: ufrag, icePwd: pwd, fingerprint: fingerprint, setup: setup)
    }

    init(iceUfrag: String, icePwd: String, fingerprint: SDPFingerprint, setup: DTLSSetup) {
        self.iceUfrag = iceUfrag
        self.icePwd = icePwd
        self.fingerprint = fingerprint
        self.setup = setup
    }
}
