/// Something that carries `a=` lines: a session or a media section. The typed accessors below read the
/// attributes that may stand at either level (ICE, DTLS); ``SessionDescription`` resolves the fallback from a
/// media section to the session with its `...(for:)` methods.
protocol SDPAttributeList {
    var attributes: [SDPAttribute] { get set }
}

extension SDPAttributeList {
    /// The values of every attribute with this name, in order (flags without a value are left out).
    func values(of name: String) -> [String] { attributes.compactMap { $0.name == name ? $0.value : nil } }

    /// The value of the first attribute with this name.
    func value(of name: String) -> String? { attributes.first { $0.name == name }?.value }

    /// Whether an attribute (usually a flag such as `rtcp-mux`) is present.
    func has(_ name: String) -> Bool { attributes.contains { $0.name == name } }

    mutating func append(_ name: String, _ value: String? = nil) { attributes.append(SDPAttribute(name, value)) }

    mutating func append(_ attribute: SDPAttribute) { attributes.append(attribute) }

    var iceUfrag: String? { value(of: "ice-ufrag") }
    var icePwd: String? { value(of: "ice-pwd") }
    /// `a=ice-options:trickle renomination` as its tokens.
    var iceOptions: [String] { values(of: "ice-options").flatMap { $0.split(separator: " ").map(String.init) } }
    var fingerprints: [SDPFingerprint] { values(of: "fingerprint").compactMap(SDPFingerprint.init(attributeValue:)) }
    var setup: DTLSSetup? { value(of: "setup").flatMap(DTLSSetup.init(rawValue:)) }
}

extension SessionDescription {
    var isICELite: Bool { has("ice-lite") }

    /// Every `a=group` line.
    var groups: [SDPGroup] { values(of: "group").compactMap(SDPGroup.init(attributeValue:)) }

    /// The first BUNDLE group (WebRTC endpoints make one).
    var bundleGroup: SDPGroup? { groups.first { $0.semantics == SDPGroup.bundle } }

    /// The media section with this mid.
    func media(withMID mid: String) -> MediaDescription? { media.first { $0.mid == mid } }

    /// The ICE username fragment for a section: its own, else the session's.
    func iceUfrag(for section: MediaDescription) -> String? { section.iceUfrag ?? iceUfrag }

    /// The ICE password for a section: its own, else the session's.
    func icePwd(for section: MediaDescription) -> String? { section.icePwd ?? icePwd }

    /// The ICE options for a section: its own, else the session's.
    func iceOptions(for section: MediaDescription) -> [String] { section.has("ice-options") ? section.iceOptions : iceOptions }

    /// The DTLS fingerprints for a section: its own, else the session's.
    func fingerprints(for section: MediaDescription) -> [SDPFingerprint] {
        section.has("fingerprint") ? section.fingerprints : fingerprints
    }

    /// The DTLS role for a section: its own, else the session's.
    func setup(for section: MediaDescription) -> DTLSSetup? { section.setup ?? setup }
}

extension MediaDescription {
    var mid: String? { value(of: "mid") }

    /// The section's direction; sendrecv when it says nothing (RFC 8866 6.7).
    var direction: MediaDirection {
        attributes.lazy.compactMap { MediaDirection(rawValue: $0.name) }.first ?? .sendrecv
    }

    var isRTCPMuxed: Bool { has("rtcp-mux") }
    var isRTCPReducedSize: Bool { has("rtcp-rsize") }

    var rtpMaps: [RTPMap] { values(of: "rtpmap").compactMap(RTPMap.init(attributeValue:)) }
    var formatParameters: [FormatParameters] { values(of: "fmtp").compactMap(FormatParameters.init(attributeValue:)) }
    var rtcpFeedback: [RTCPFeedback] { values(of: "rtcp-fb").compactMap(RTCPFeedback.init(attributeValue:)) }
    var extMaps: [ExtMap] { values(of: "extmap").compactMap(ExtMap.init(attributeValue:)) }
    var ssrcAttributes: [SSRCAttribute] { values(of: "ssrc").compactMap(SSRCAttribute.init(attributeValue:)) }
    var ssrcGroups: [SSRCGroup] { values(of: "ssrc-group").compactMap(SSRCGroup.init(attributeValue:)) }
    var msid: MSID? { value(of: "msid").flatMap(MSID.init(attributeValue:)) }
    var rids: [RIDDescription] { values(of: "rid").compactMap(RIDDescription.init(attributeValue:)) }
    var simulcast: SimulcastDescription? { value(of: "simulcast").flatMap(SimulcastDescription.init(attributeValue:)) }

    /// The `a=candidate` values, unparsed (the ICE agent reads them; `.local` mDNS addresses stay as written).
    var candidates: [String] { values(of: "candidate") }
    var hasEndOfCandidates: Bool { has("end-of-candidates") }

    /// The rtpmap of a payload type.
    func rtpMap(for payloadType: UInt8) -> RTPMap? { rtpMaps.first { $0.payloadType == payloadType } }

    /// The fmtp of a payload type.
    func formatParameters(for payloadType: UInt8) -> FormatParameters? {
        formatParameters.first { $0.payloadType == payloadType }
    }

    /// The rtcp-fb lines that apply to a payload type, `*` ones included.
    func rtcpFeedback(for payloadType: UInt8) -> [RTCPFeedback] { rtcpFeedback.filter { $0.applies(to: payloadType) } }

    /// The SSRCs that `a=ssrc` lines describe, each once, in order of first appearance.
    var ssrcs: [UInt32] {
        var seen: Set<UInt32> = []
        return ssrcAttributes.compactMap { seen.insert($0.ssrc).inserted ? $0.ssrc : nil }
    }

    /// The value of `a=ssrc:<ssrc> <name>:<value>`.
    func ssrcAttribute(_ name: String, of ssrc: UInt32) -> String? {
        ssrcAttributes.first { $0.ssrc == ssrc && $0.name == name }?.value
    }

    /// The payload types of the m= line that are numbers (RTP sections).
    var payloadTypes: [UInt8] { formats.compactMap { sdpPayloadType(Substring($0)) } }
}
