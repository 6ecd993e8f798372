@testable import MediaNodes

/// Real session descriptions captured from Chromium 156 (headless, fake devices) and aiortc 1.14, and the
/// inputs the node used to produce the answers captured here. Multi-line literals have LF line endings; the
/// tests turn them into CRLF where that matters.
enum SDPFixtures {
    /// The node transport used for every capture below.
    static let transport = NodeTransportParameters(
        iceUfrag: "nodeUfrag1", icePwd: "nodePasswordNodePassword",
        fingerprint: "sha-256 12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0",
        candidates: ["candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host"]
    )

    static let origin = SDPOrigin(sessionID: "4242", sessionVersion: 1)

    /// The subscribe tracks the captured subscribe answers answer: opus, VP8 with RTX, and a second VP8 track.
    static func subscribeTracks(thirdActive: Bool) -> [OutgoingTrack] {
        let vp8Feedback = [
            RTCPFeedback(payloadType: nil, type: "nack"), RTCPFeedback(payloadType: nil, type: "nack", parameter: "pli"),
            RTCPFeedback(payloadType: nil, type: "ccm", parameter: "fir"), RTCPFeedback(payloadType: nil, type: "goog-remb"),
        ]
        let opus = NegotiatedCodec(
            name: "opus", payloadType: 111, clockRate: 48000, channels: 2, formatParameters: "minptime=10;useinbandfec=1",
            feedback: [RTCPFeedback(payloadType: nil, type: "transport-cc")]
        )
        return [
            OutgoingTrack(
                mid: "0", kind: .audio, codec: opus, rtxPayloadType: nil, ssrc: 1111, rtxSSRC: nil, cname: "PA_1", streamID: "PA_1",
                trackID: "MT_a", active: true
            ),
            OutgoingTrack(
                mid: "1", kind: .video, codec: NegotiatedCodec(name: "VP8", payloadType: 96, clockRate: 90000, feedback: vp8Feedback),
                rtxPayloadType: 97, ssrc: 2222, rtxSSRC: 3333, cname: "PA_1", streamID: "PA_1", trackID: "MT_v", active: true
            ),
            OutgoingTrack(
                mid: "2", kind: .video, codec: NegotiatedCodec(name: "VP8", payloadType: 96, clockRate: 90000), rtxPayloadType: 97,
                ssrc: 4444, rtxSSRC: 5555, cname: "PA_2", streamID: "PA_2", trackID: "MT_x", active: thirdActive
            ),
        ]
    }
}
