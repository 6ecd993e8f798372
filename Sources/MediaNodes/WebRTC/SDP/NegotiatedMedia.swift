/// A codec as one m-line uses it: what the SFU needs to forward it and what an SDP writes for it.
struct NegotiatedCodec: Sendable, Hashable {
    /// As the offer spelled it (`opus`, `VP8`, `H264`).
    var name: String
    var payloadType: UInt8
    var clockRate: UInt32
    /// Audio channels (2 for opus); nil for video.
    var channels: Int?
    /// The fmtp parameters after the payload type (`minptime=10;useinbandfec=1`); nil when there are none.
    var formatParameters: String?
    /// The RTCP feedback the codec uses; their payload types are rewritten to ``payloadType`` when written.
    var feedback: [RTCPFeedback]

    init(
        name: String,
        payloadType: UInt8,
        clockRate: UInt32,
        channels: Int? = nil,
        formatParameters: String? = nil,
        feedback: [RTCPFeedback] = []
    ) {
        self.name = name
        self.payloadType = payloadType
        self.clockRate = clockRate
        self.channels = channels
        self.formatParameters = formatParameters
        self.feedback = feedback
    }

    /// The m= line formats for the codec and its retransmission payload type.
    func formats(rtxPayloadType: UInt8?) -> [String] { [String(payloadType)] + (rtxPayloadType.map { [String($0)] } ?? []) }

    /// `a=rtpmap`, `a=fmtp` and `a=rtcp-fb` for the codec, then `a=rtpmap`/`a=fmtp:<rtx> apt=` for its RTX.
    func attributes(rtxPayloadType: UInt8?) -> [SDPAttribute] {
        var attributes = [RTPMap(payloadType: payloadType, encodingName: name, clockRate: clockRate, channels: channels).attribute]
        if let formatParameters { attributes.append(FormatParameters(payloadType: payloadType, parameters: formatParameters).attribute) }
        attributes += feedback.map { RTCPFeedback(payloadType: payloadType, type: $0.type, parameter: $0.parameter).attribute }
        if let rtxPayloadType {
            attributes.append(RTPMap(payloadType: rtxPayloadType, encodingName: "rtx", clockRate: clockRate).attribute)
            attributes.append(FormatParameters(payloadType: rtxPayloadType, parameters: "apt=\(payloadType)").attribute)
        }
        return attributes
    }
}

/// An RTP header extension and the id it travels under on one m-line.
struct HeaderExtension: Sendable, Hashable {
    var id: Int
    var uri: String
}

/// The header extensions the SFU reads (RFC 8285 URIs).
enum RTPHeaderExtensionURI {
    /// The m-line's mid (RFC 8843), how BUNDLE demultiplexes before SSRCs are known.
    static let mid = "urn:ietf:params:rtp-hdrext:sdes:mid"
    /// The speaker's level (RFC 6464), for dominant speaker detection.
    static let audioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
    /// The rid of a simulcast encoding (RFC 8852).
    static let rtpStreamID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
    /// The rid an RTX packet repairs (RFC 8852).
    static let repairedRTPStreamID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"

    /// Every extension a publish answer accepts; the others are left out of it.
    static let accepted: Set<String> = [mid, audioLevel, rtpStreamID, repairedRTPStreamID]
}

/// A media SSRC and the SSRC of its retransmissions (`a=ssrc-group:FID <media> <rtx>`).
struct RetransmissionPair: Sendable, Hashable {
    var media: UInt32
    var rtx: UInt32
}

/// The SSRCs a publisher declared for an m-line. Chrome declares none when it sends simulcast with rids; the
/// SFU then learns them from the rid header extensions.
struct OfferedSSRCs: Sendable, Hashable {
    /// Every SSRC of the `a=ssrc` lines, in order.
    var all: [UInt32] = []
    /// The FID groups.
    var retransmissions: [RetransmissionPair] = []
    /// The SIM group: the simulcast layers, in the offer's order (lowest resolution first in practice).
    var simulcast: [UInt32] = []
    /// The publisher's RTCP CNAME, from the first SSRC that has one.
    var cname: String?

    /// The SSRCs that carry media, not retransmissions.
    var media: [UInt32] {
        let repairSSRCs = Set(retransmissions.map(\.rtx))
        return all.filter { !repairSSRCs.contains($0) }
    }

    /// The RTX SSRC paired with a media SSRC.
    func rtx(for media: UInt32) -> UInt32? { retransmissions.first { $0.media == media }?.rtx }

    /// Reads the `a=ssrc` and `a=ssrc-group` lines of a section.
    init(of section: MediaDescription) {
        all = section.ssrcs
        for group in section.ssrcGroups {
            if group.semantics == SSRCGroup.retransmission, group.ssrcs.count == 2 {
                retransmissions.append(RetransmissionPair(media: group.ssrcs[0], rtx: group.ssrcs[1]))
            } else if group.semantics == SSRCGroup.simulcast, simulcast.isEmpty {
                simulcast = group.ssrcs
            }
        }
        cname = section.ssrcAttributes.first { $0.name == "cname" }?.value
    }

    init() {}
}

/// What the node agreed to receive on one m-line of a publish offer.
struct NegotiatedMedia: Sendable, Hashable {
    var mid: String
    var kind: MediaKind
    /// Whether the answer kept the m-line (port not 0) with a codec; false for data channels, unsupported
    /// codecs and sections the client stopped.
    var accepted: Bool
    /// The answer's direction: recvonly when the client sends, inactive when it sends nothing.
    var direction: MediaDirection
    var codec: NegotiatedCodec?
    var rtxPayloadType: UInt8?
    /// The accepted header extensions, with the offer's ids.
    var headerExtensions: [HeaderExtension]
    var ssrcs: OfferedSSRCs
    /// The simulcast rids the client sends, in its `a=simulcast` order; empty without simulcast.
    var rids: [String]
    var msid: MSID?

    /// The id of a header extension, if it was negotiated.
    func headerExtensionID(for uri: String) -> Int? { headerExtensions.first { $0.uri == uri }?.id }

    /// A refused m-line.
    static func rejected(mid: String, kind: MediaKind) -> NegotiatedMedia {
        NegotiatedMedia(
            mid: mid, kind: kind, accepted: false, direction: .inactive, codec: nil, rtxPayloadType: nil,
            headerExtensions: [], ssrcs: OfferedSSRCs(), rids: [], msid: nil
        )
    }
}
