/// Which codec the node accepts from a publisher's m-line: the SFU forwards packets untouched, so it picks
/// codecs every subscriber can decode. Audio is opus/48000/2 only; video is VP8, else H.264 in
/// packetization-mode 1 with a baseline profile (42e01f first). Only offered payload types are considered.
enum PublishCodecPolicy {
    /// The RTCP feedback the SFU handles: (type, parameter).
    static let supportedFeedback: [(type: String, parameter: String?)] = [
        ("nack", nil), ("nack", "pli"), ("ccm", "fir"), ("goog-remb", nil), ("transport-cc", nil),
    ]

    /// The preferred H.264 profile-level-id: constrained baseline, level 3.1.
    static let preferredH264Profile = "42e01f"

    /// The chosen codec of a section and the payload type of its RTX, or nil when nothing offered is usable.
    static func choose(in section: MediaDescription) -> (codec: NegotiatedCodec, rtxPayloadType: UInt8?)? {
        let offered = section.payloadTypes.compactMap { section.rtpMap(for: $0) }
        let chosen: RTPMap?
        switch section.kind {
        case .audio: chosen = offered.first { $0.isCodec("opus") && $0.clockRate == 48000 && $0.channels == 2 }
        case .video: chosen = offered.first { $0.isCodec("VP8") && $0.clockRate == 90000 } ?? bestH264(offered, in: section)
        case .application, .other: chosen = nil
        }
        guard let chosen else { return nil }
        let feedback = section.rtcpFeedback(for: chosen.payloadType).filter { feedback in
            supportedFeedback.contains { $0.type == feedback.type && $0.parameter == feedback.parameter }
        }
        let codec = NegotiatedCodec(
            name: chosen.encodingName, payloadType: chosen.payloadType, clockRate: chosen.clockRate, channels: chosen.channels,
            formatParameters: section.formatParameters(for: chosen.payloadType)?.parameters,
            feedback: feedback.map { RTCPFeedback(payloadType: chosen.payloadType, type: $0.type, parameter: $0.parameter) }
        )
        return (codec, rtxPayloadType(for: chosen, in: offered, section: section))
    }

    /// The first H.264 payload type with profile-level-id 42e01f, else the first other baseline one; both in
    /// packetization-mode 1 (non-interleaved, what browsers send).
    private static func bestH264(_ offered: [RTPMap], in section: MediaDescription) -> RTPMap? {
        let usable = offered.filter { map in
            guard map.isCodec("H264"), map.clockRate == 90000 else { return false }
            let parameters = section.formatParameters(for: map.payloadType)
            guard parameters?.value(of: "packetization-mode") == "1" else { return false }
            // RFC 6184: no profile-level-id means 42000a, baseline.
            let profile = (parameters?.value(of: "profile-level-id") ?? "42000a").lowercased()
            return profile.count == 6 && profile.hasPrefix("42")
        }
        let preferred = usable.first { map in
            section.formatParameters(for: map.payloadType)?.value(of: "profile-level-id")?.lowercased() == preferredH264Profile
        }
        return preferred ?? usable.first
    }

    /// The offered `rtx` payload type whose `apt=` is the chosen codec.
    private static func rtxPayloadType(for codec: RTPMap, in offered: [RTPMap], section: MediaDescription) -> UInt8? {
        offered.first { map in
            map.isCodec("rtx") && map.clockRate == codec.clockRate
                && section.formatParameters(for: map.payloadType)?.value(of: "apt") == String(codec.payloadType)
        }?.payloadType
    }
}
