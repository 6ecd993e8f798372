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

    /// Chromium 156's publish offer: audio; video with VP8/H264/AV1/VP9, rtx and three simulcast rids (q, h, f);
    /// a data channel.
    static let chromeSimulcastOffer = #"""
    v=0
    o=- 6058541289718394970 2 IN IP4 127.0.0.1
    s=-
    t=0 0
    a=group:BUNDLE 0 1 2
    a=extmap-allow-mixed
    a=msid-semantic: WMS 4c0d8e53-4094-49fa-9203-a4db7c5e88ec
    m=audio 49362 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
    c=IN IP4 192.0.2.2
    a=rtcp:9 IN IP4 0.0.0.0
    a=candidate:2830853595 1 udp 2122194687 192.0.2.2 49362 typ host generation 0 network-id 1
    a=candidate:2949187947 1 udp 2122265343 fd00::2 56291 typ host generation 0 network-id 2
    a=candidate:3597961027 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 network-id 1
    a=candidate:3506891763 1 tcp 1518285567 fd00::2 9 typ host tcptype active generation 0 network-id 2
    a=ice-ufrag:rS7a
    a=ice-pwd:a3fD+n6wcteJfjvHMp6DTZZ6
    a=ice-options:trickle
    a=fingerprint:sha-256 A9:65:B7:7B:4A:5B:48:DE:54:1C:70:9D:93:52:1D:9C:A3:61:07:CF:F1:98:92:DC:34:27:49:0E:A5:00:38:6F
    a=setup:actpass
    a=mid:0
    a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
    a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
    a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
    a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
    a=sendonly
    a=msid:4c0d8e53-4094-49fa-9203-a4db7c5e88ec 4d711c21-de11-48eb-ad2a-478f3a6fa6aa
    a=rtcp-mux
    a=rtcp-rsize
    a=rtcp-xr:rcvr-rtt=all
    a=rtpmap:111 opus/48000/2
    a=rtcp-fb:111 transport-cc
    a=fmtp:111 minptime=10;useinbandfec=1
    a=rtpmap:63 red/48000/2
    a=fmtp:63 111/111
    a=rtpmap:9 G722/8000
    a=rtpmap:0 PCMU/8000
    a=rtpmap:8 PCMA/8000
    a=rtpmap:13 CN/8000
    a=rtpmap:110 telephone-event/48000
    a=rtpmap:126 telephone-event/8000
    a=ssrc:3054754472 cname:WjvwhDQQxqLHfdLS
    a=ssrc:3054754472 msid:4c0d8e53-4094-49fa-9203-a4db7c5e88ec 4d711c21-de11-48eb-ad2a-478f3a6fa6aa
    m=video 40358 UDP/TLS/RTP/SAVPF 96 97 102 103 104 107 108 109 114 115 116 117 39 40 45 46 98 99 100 101 118 119 120
    c=IN IP4 192.0.2.2
    a=rtcp:9 IN IP4 0.0.0.0
    a=candidate:2830853595 1 udp 2122194687 192.0.2.2 40358 typ host generation 0 network-id 1
    a=candidate:2949187947 1 udp 2122265343 fd00::2 44236 typ host generation 0 network-id 2
    a=candidate:3597961027 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 network-id 1
    a=candidate:3506891763 1 tcp 1518285567 fd00::2 9 typ host tcptype active generation 0 network-id 2
    a=ice-ufrag:rS7a
    a=ice-pwd:a3fD+n6wcteJfjvHMp6DTZZ6
    a=ice-options:trickle
    a=fingerprint:sha-256 A9:65:B7:7B:4A:5B:48:DE:54:1C:70:9D:93:52:1D:9C:A3:61:07:CF:F1:98:92:DC:34:27:49:0E:A5:00:38:6F
    a=setup:actpass
    a=mid:1
    a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
    a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
    a=extmap:13 urn:3gpp:video-orientation
    a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
    a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
    a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type
    a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing
    a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space
    a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
    a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
    a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
    a=extmap:12 https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension
    a=extmap:9 http://www.webrtc.org/experiments/rtp-hdrext/video-layers-allocation00
    a=sendonly
    a=msid:4c0d8e53-4094-49fa-9203-a4db7c5e88ec ac35fa05-8b42-47ed-ac69-56ab9b82ade7
    a=rtcp-mux
    a=rtcp-rsize
    a=rtcp-xr:rcvr-rtt=all
    a=rtpmap:96 VP8/90000
    a=rtcp-fb:96 goog-remb
    a=rtcp-fb:96 transport-cc
    a=rtcp-fb:96 ccm fir
    a=rtcp-fb:96 nack
    a=rtcp-fb:96 nack pli
    a=rtpmap:97 rtx/90000
    a=fmtp:97 apt=96
    a=rtpmap:102 H264/90000
    a=rtcp-fb:102 goog-remb
    a=rtcp-fb:102 transport-cc
    a=rtcp-fb:102 ccm fir
    a=rtcp-fb:102 nack
    a=rtcp-fb:102 nack pli
    a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
    a=rtpmap:103 rtx/90000
    a=fmtp:103 apt=102
    a=rtpmap:104 H264/90000
    a=rtcp-fb:104 goog-remb
    a=rtcp-fb:104 transport-cc
    a=rtcp-fb:104 ccm fir
    a=rtcp-fb:104 nack
    a=rtcp-fb:104 nack pli
    a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f
    a=rtpmap:107 rtx/90000
    a=fmtp:107 apt=104
    a=rtpmap:108 H264/90000
    a=rtcp-fb:108 goog-remb
    a=rtcp-fb:108 transport-cc
    a=rtcp-fb:108 ccm fir
    a=rtcp-fb:108 nack
    a=rtcp-fb:108 nack pli
    a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
    a=rtpmap:109 rtx/90000
    a=fmtp:109 apt=108
    a=rtpmap:114 H264/90000
    a=rtcp-fb:114 goog-remb
    a=rtcp-fb:114 transport-cc
    a=rtcp-fb:114 ccm fir
    a=rtcp-fb:114 nack
    a=rtcp-fb:114 nack pli
    a=fmtp:114 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f
    a=rtpmap:115 rtx/90000
    a=fmtp:115 apt=114
    a=rtpmap:116 H264/90000
    a=rtcp-fb:116 goog-remb
    a=rtcp-fb:116 transport-cc
    a=rtcp-fb:116 ccm fir
    a=rtcp-fb:116 nack
    a=rtcp-fb:116 nack pli
    a=fmtp:116 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f
    a=rtpmap:117 rtx/90000
    a=fmtp:117 apt=116
    a=rtpmap:39 H264/90000
    a=rtcp-fb:39 goog-remb
    a=rtcp-fb:39 transport-cc
    a=rtcp-fb:39 ccm fir
    a=rtcp-fb:39 nack
    a=rtcp-fb:39 nack pli
    a=fmtp:39 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=4d001f
    a=rtpmap:40 rtx/90000
    a=fmtp:40 apt=39
    a=rtpmap:45 AV1/90000
    a=rtcp-fb:45 goog-remb
    a=rtcp-fb:45 transport-cc
    a=rtcp-fb:45 ccm fir
    a=rtcp-fb:45 nack
    a=rtcp-fb:45 nack pli
    a=fmtp:45 level-idx=5;profile=0;tier=0
    a=rtpmap:46 rtx/90000
    a=fmtp:46 apt=45
    a=rtpmap:98 VP9/90000
    a=rtcp-fb:98 goog-remb
    a=rtcp-fb:98 transport-cc
    a=rtcp-fb:98 ccm fir
    a=rtcp-fb:98 nack
    a=rtcp-fb:98 nack pli
    a=fmtp:98 profile-id=0
    a=rtpmap:99 rtx/90000
    a=fmtp:99 apt=98
    a=rtpmap:100 VP9/90000
    a=rtcp-fb:100 goog-remb
    a=rtcp-fb:100 transport-cc
    a=rtcp-fb:100 ccm fir
    a=rtcp-fb:100 nack
    a=rtcp-fb:100 nack pli
    a=fmtp:100 profile-id=2
    a=rtpmap:101 rtx/90000
    a=fmtp:101 apt=100
    a=rtpmap:118 red/90000
    a=rtpmap:119 rtx/90000
    a=fmtp:119 apt=118
    a=rtpmap:120 ulpfec/90000
    a=rid:q send
    a=rid:h send
    a=rid:f send
    a=simulcast:send q;h;f
    m=application 56342 UDP/DTLS/SCTP webrtc-datachannel
    c=IN IP4 192.0.2.2
    a=candidate:2830853595 1 udp 2122194687 192.0.2.2 56342 typ host generation 0 network-id 1
    a=candidate:2949187947 1 udp 2122265343 fd00::2 60376 typ host generation 0 network-id 2
    a=candidate:3597961027 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 network-id 1
    a=candidate:3506891763 1 tcp 1518285567 fd00::2 9 typ host tcptype active generation 0 network-id 2
    a=ice-ufrag:rS7a
    a=ice-pwd:a3fD+n6wcteJfjvHMp6DTZZ6
    a=ice-options:trickle
    a=fingerprint:sha-256 A9:65:B7:7B:4A:5B:48:DE:54:1C:70:9D:93:52:1D:9C:A3:61:07:CF:F1:98:92:DC:34:27:49:0E:A5:00:38:6F
    a=setup:actpass
    a=mid:2
    a=sctp-port:5000
    a=max-message-size:262144
    """#

    /// Chromium 156's publish offer without simulcast: audio and video with a=ssrc lines and an FID group.
    static let chromeOffer = #"""
    v=0
    o=- 5338871483967283410 2 IN IP4 127.0.0.1
    s=-
    t=0 0
    a=group:BUNDLE 0 1
    a=extmap-allow-mixed
    a=msid-semantic: WMS e61cadee-2736-4dd2-b63e-1e7cd99418dd
    m=audio 33114 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
    c=IN IP4 192.0.2.2
    a=rtcp:9 IN IP4 0.0.0.0
    a=candidate:703946700 1 udp 2122194687 192.0.2.2 33114 typ host generation 0 network-id 1
    a=candidate:780612476 1 udp 2122265343 fd00::2 50272 typ host generation 0 network-id 2
    a=candidate:1463467348 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 network-id 1
    a=candidate:1346949604 1 tcp 1518285567 fd00::2 9 typ host tcptype active generation 0 network-id 2
    a=ice-ufrag:a/kK
    a=ice-pwd:LnsZ3FJLIVNVZ+z4XtYn5YSa
    a=ice-options:trickle
    a=fingerprint:sha-256 D8:17:A9:B9:07:8C:6E:94:F0:36:E9:51:42:36:65:AC:D9:66:2A:03:90:8C:FD:EE:68:DE:F8:E3:24:94:27:0F
    a=setup:actpass
    a=mid:0
    a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
    a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
    a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
    a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
    a=sendonly
    a=msid:e61cadee-2736-4dd2-b63e-1e7cd99418dd e943e95f-c410-42e0-9402-3952d6144d65
    a=rtcp-mux
    a=rtcp-rsize
    a=rtcp-xr:rcvr-rtt=all
    a=rtpmap:111 opus/48000/2
    a=rtcp-fb:111 transport-cc
    a=fmtp:111 minptime=10;useinbandfec=1
    a=rtpmap:63 red/48000/2
    a=fmtp:63 111/111
    a=rtpmap:9 G722/8000
    a=rtpmap:0 PCMU/8000
    a=rtpmap:8 PCMA/8000
    a=rtpmap:13 CN/8000
    a=rtpmap:110 telephone-event/48000
    a=rtpmap:126 telephone-event/8000
    a=ssrc:71784230 cname:EhWXW24VGU+J4o5b
    a=ssrc:71784230 msid:e61cadee-2736-4dd2-b63e-1e7cd99418dd e943e95f-c410-42e0-9402-3952d6144d65
    m=video 54389 UDP/TLS/RTP/SAVPF 96 97 102 103 104 107 108 109 114 115 116 117 39 40 45 46 98 99 100 101 118 119 120
    c=IN IP4 192.0.2.2
    a=rtcp:9 IN IP4 0.0.0.0
    a=candidate:703946700 1 udp 2122194687 192.0.2.2 54389 typ host generation 0 network-id 1
    a=candidate:780612476 1 udp 2122265343 fd00::2 52051 typ host generation 0 network-id 2
    a=candidate:1463467348 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 network-id 1
    a=candidate:1346949604 1 tcp 1518285567 fd00::2 9 typ host tcptype active generation 0 network-id 2
    a=ice-ufrag:a/kK
    a=ice-pwd:LnsZ3FJLIVNVZ+z4XtYn5YSa
    a=ice-options:trickle
    a=fingerprint:sha-256 D8:17:A9:B9:07:8C:6E:94:F0:36:E9:51:42:36:65:AC:D9:66:2A:03:90:8C:FD:EE:68:DE:F8:E3:24:94:27:0F
    a=setup:actpass
    a=mid:1
    a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
    a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
    a=extmap:13 urn:3gpp:video-orientation
    a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
    a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
    a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type
    a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing
    a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space
    a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
    a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
    a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
    a=sendonly
    a=msid:e61cadee-2736-4dd2-b63e-1e7cd99418dd 2bb30cef-f3ae-496c-972a-bcf585bd4436
    a=rtcp-mux
    a=rtcp-rsize
    a=rtcp-xr:rcvr-rtt=all
    a=rtpmap:96 VP8/90000
    a=rtcp-fb:96 goog-remb
    a=rtcp-fb:96 transport-cc
    a=rtcp-fb:96 ccm fir
    a=rtcp-fb:96 nack
    a=rtcp-fb:96 nack pli
    a=rtpmap:97 rtx/90000
    a=fmtp:97 apt=96
    a=rtpmap:102 H264/90000
    a=rtcp-fb:102 goog-remb
    a=rtcp-fb:102 transport-cc
    a=rtcp-fb:102 ccm fir
    a=rtcp-fb:102 nack
    a=rtcp-fb:102 nack pli
    a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
    a=rtpmap:103 rtx/90000
    a=fmtp:103 apt=102
    a=rtpmap:104 H264/90000
    a=rtcp-fb:104 goog-remb
    a=rtcp-fb:104 transport-cc
    a=rtcp-fb:104 ccm fir
    a=rtcp-fb:104 nack
    a=rtcp-fb:104 nack pli
    a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f
    a=rtpmap:107 rtx/90000
    a=fmtp:107 apt=104
    a=rtpmap:108 H264/90000
    a=rtcp-fb:108 goog-remb
    a=rtcp-fb:108 transport-cc
    a=rtcp-fb:108 ccm fir
    a=rtcp-fb:108 nack
    a=rtcp-fb:108 nack pli
    a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
    a=rtpmap:109 rtx/90000
    a=fmtp:109 apt=108
    a=rtpmap:114 H264/90000
    a=rtcp-fb:114 goog-remb
    a=rtcp-fb:114 transport-cc
    a=rtcp-fb:114 ccm fir
    a=rtcp-fb:114 nack
    a=rtcp-fb:114 nack pli
    a=fmtp:114 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f
    a=rtpmap:115 rtx/90000
    a=fmtp:115 apt=114
    a=rtpmap:116 H264/90000
    a=rtcp-fb:116 goog-remb
    a=rtcp-fb:116 transport-cc
    a=rtcp-fb:116 ccm fir
    a=rtcp-fb:116 nack
    a=rtcp-fb:116 nack pli
    a=fmtp:116 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f
    a=rtpmap:117 rtx/90000
    a=fmtp:117 apt=116
    a=rtpmap:39 H264/90000
    a=rtcp-fb:39 goog-remb
    a=rtcp-fb:39 transport-cc
    a=rtcp-fb:39 ccm fir
    a=rtcp-fb:39 nack
    a=rtcp-fb:39 nack pli
    a=fmtp:39 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=4d001f
    a=rtpmap:40 rtx/90000
    a=fmtp:40 apt=39
    a=rtpmap:45 AV1/90000
    a=rtcp-fb:45 goog-remb
    a=rtcp-fb:45 transport-cc
    a=rtcp-fb:45 ccm fir
    a=rtcp-fb:45 nack
    a=rtcp-fb:45 nack pli
    a=fmtp:45 level-idx=5;profile=0;tier=0
    a=rtpmap:46 rtx/90000
    a=fmtp:46 apt=45
    a=rtpmap:98 VP9/90000
    a=rtcp-fb:98 goog-remb
    a=rtcp-fb:98 transport-cc
    a=rtcp-fb:98 ccm fir
    a=rtcp-fb:98 nack
    a=rtcp-fb:98 nack pli
    a=fmtp:98 profile-id=0
    a=rtpmap:99 rtx/90000
    a=fmtp:99 apt=98
    a=rtpmap:100 VP9/90000
    a=rtcp-fb:100 goog-remb
    a=rtcp-fb:100 transport-cc
    a=rtcp-fb:100 ccm fir
    a=rtcp-fb:100 nack
    a=rtcp-fb:100 nack pli
    a=fmtp:100 profile-id=2
    a=rtpmap:101 rtx/90000
    a=fmtp:101 apt=100
    a=rtpmap:118 red/90000
    a=rtpmap:119 rtx/90000
    a=fmtp:119 apt=118
    a=rtpmap:120 ulpfec/90000
    a=ssrc-group:FID 1091145881 3595970173
    a=ssrc:1091145881 cname:EhWXW24VGU+J4o5b
    a=ssrc:1091145881 msid:e61cadee-2736-4dd2-b63e-1e7cd99418dd 2bb30cef-f3ae-496c-972a-bcf585bd4436
    a=ssrc:3595970173 cname:EhWXW24VGU+J4o5b
    a=ssrc:3595970173 msid:e61cadee-2736-4dd2-b63e-1e7cd99418dd 2bb30cef-f3ae-496c-972a-bcf585bd4436
    """#

    /// aiortc 1.14's publish offer (sendonly audio and video): one ICE ufrag per m-line, three fingerprints.
    static let aiortcOffer = #"""
    v=0
    o=- 4004296664 4004296664 IN IP4 0.0.0.0
    s=-
    t=0 0
    a=group:BUNDLE 0 1
    a=msid-semantic:WMS *
    m=audio 38770 UDP/TLS/RTP/SAVPF 96 9 0 8
    c=IN IP4 192.0.2.2
    a=sendonly
    a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
    a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level
    a=mid:0
    a=msid:95e9ef8a-332a-4ccf-875c-51032d9de88c 486f159b-c5ab-4037-b9d4-f9018a2c2f8d
    a=rtcp:9 IN IP4 0.0.0.0
    a=rtcp-mux
    a=ssrc:1472243157 cname:ec7d0a1f-88a9-416c-a055-9014b452a983
    a=rtpmap:96 opus/48000/2
    a=rtpmap:9 G722/8000
    a=rtpmap:0 PCMU/8000
    a=rtpmap:8 PCMA/8000
    a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 38770 typ host
    a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 42443 typ host
    a=end-of-candidates
    a=ice-ufrag:fLx8
    a=ice-pwd:3bbLYunBDwi0NTjvN0bxJb
    a=fingerprint:sha-256 32:7B:40:65:E4:16:47:92:BD:88:3F:81:83:DA:D7:F5:23:B5:A4:00:78:84:94:35:D1:27:5F:DF:C7:EF:76:64
    a=fingerprint:sha-384 62:16:41:64:53:C9:F1:D8:2D:DF:43:C2:8D:2A:69:B9:E1:25:9E:C1:88:41:12:C2:20:AA:CE:E3:43:CE:DD:DF:17:9D:86:21:B3:81:25:9B:FE:89:BF:5B:14:FF:AA:A2
    a=fingerprint:sha-512 8B:B0:F6:D0:FC:62:D5:D8:02:EF:25:0C:8A:70:83:33:F7:3E:61:03:73:2A:6A:7F:C3:5B:30:19:AB:43:21:70:D2:24:B4:6A:6D:01:87:7D:C4:6A:75:9E:8F:84:97:30:13:51:BA:F8:EF:4D:87:32:31:CC:9C:1C:9C:A0:E3:47
    a=setup:actpass
    m=video 57310 UDP/TLS/RTP/SAVPF 97 98 99 100 101 102
    c=IN IP4 192.0.2.2
    a=sendonly
    a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
    a=extmap:3 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
    a=mid:1
    a=msid:95e9ef8a-332a-4ccf-875c-51032d9de88c 5eef59f0-f3ae-49b4-8416-f174cca98eea
    a=rtcp:9 IN IP4 0.0.0.0
    a=rtcp-mux
    a=ssrc-group:FID 1332797414 3270468758
    a=ssrc:1332797414 cname:ec7d0a1f-88a9-416c-a055-9014b452a983
    a=ssrc:3270468758 cname:ec7d0a1f-88a9-416c-a055-9014b452a983
    a=rtpmap:97 VP8/90000
    a=rtcp-fb:97 nack
    a=rtcp-fb:97 nack pli
    a=rtcp-fb:97 goog-remb
    a=rtpmap:98 rtx/90000
    a=fmtp:98 apt=97
    a=rtpmap:99 H264/90000
    a=rtcp-fb:99 nack
    a=rtcp-fb:99 nack pli
    a=rtcp-fb:99 goog-remb
    a=fmtp:99 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
    a=rtpmap:100 rtx/90000
    a=fmtp:100 apt=99
    a=rtpmap:101 H264/90000
    a=rtcp-fb:101 nack
    a=rtcp-fb:101 nack pli
    a=rtcp-fb:101 goog-remb
    a=fmtp:101 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
    a=rtpmap:102 rtx/90000
    a=fmtp:102 apt=101
    a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 57310 typ host
    a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 55458 typ host
    a=end-of-candidates
    a=ice-ufrag:3W5e
    a=ice-pwd:lYeBJt1eLfb1XFujg3zb8R
    a=fingerprint:sha-256 32:7B:40:65:E4:16:47:92:BD:88:3F:81:83:DA:D7:F5:23:B5:A4:00:78:84:94:35:D1:27:5F:DF:C7:EF:76:64
    a=fingerprint:sha-384 62:16:41:64:53:C9:F1:D8:2D:DF:43:C2:8D:2A:69:B9:E1:25:9E:C1:88:41:12:C2:20:AA:CE:E3:43:CE:DD:DF:17:9D:86:21:B3:81:25:9B:FE:89:BF:5B:14:FF:AA:A2
    a=fingerprint:sha-512 8B:B0:F6:D0:FC:62:D5:D8:02:EF:25:0C:8A:70:83:33:F7:3E:61:03:73:2A:6A:7F:C3:5B:30:19:AB:43:21:70:D2:24:B4:6A:6D:01:87:7D:C4:6A:75:9E:8F:84:97:30:13:51:BA:F8:EF:4D:87:32:31:CC:9C:1C:9C:A0:E3:47
    a=setup:actpass
    """#

    /// aiortc 1.14's publish offer with a data channel as well.
    static let aiortcOfferWithDataChannel = #"""
    v=0
    o=- 4004296640 4004296640 IN IP4 0.0.0.0
    s=-
    t=0 0
    a=group:BUNDLE 0 1 2
    a=msid-semantic:WMS *
    m=audio 38171 UDP/TLS/RTP/SAVPF 96 9 0 8
    c=IN IP4 192.0.2.2
    a=sendonly
    a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
    a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level
    a=mid:0
    a=msid:85b6fd9e-2d42-4ae0-b60f-bc2576194f7d fa2801c0-d42b-44aa-b31f-577c314b751e
    a=rtcp:9 IN IP4 0.0.0.0
    a=rtcp-mux
    a=ssrc:2748292674 cname:39b8245e-73fb-4c2a-a730-37d55a423d05
    a=rtpmap:96 opus/48000/2
    a=rtpmap:9 G722/8000
    a=rtpmap:0 PCMU/8000
    a=rtpmap:8 PCMA/8000
    a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 38171 typ host
    a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 58453 typ host
    a=end-of-candidates
    a=ice-ufrag:2GHy
    a=ice-pwd:E1FPO6EeeymQFs2CxRK0bl
    a=fingerprint:sha-256 8C:1F:E8:3A:BF:09:2C:84:D1:9C:3C:50:D7:DF:2A:18:1A:FF:DC:53:34:9B:EF:D0:CB:4A:BB:81:C0:08:73:06
    a=fingerprint:sha-384 1D:16:D4:D0:54:2B:04:C7:D4:89:5E:F0:02:A1:62:6C:13:A0:3C:E0:F7:FB:10:03:66:F6:0B:CF:93:F7:10:04:FE:CF:CC:C0:15:B0:B4:E8:10:C9:C9:0F:53:2D:45:14
    a=fingerprint:sha-512 AD:13:EF:BB:6A:DC:3D:CD:9A:72:A5:6B:C9:F8:4E:D3:D7:D6:D2:47:BE:B3:A5:FD:CB:35:CA:44:C7:33:C8:53:1B:63:9A:EB:76:C5:F1:3E:22:F3:1C:F5:D7:83:E8:E7:17:49:89:06:E4:ED:91:4B:C3:AB:3D:64:3E:85:3A:85
    a=setup:actpass
    m=video 58868 UDP/TLS/RTP/SAVPF 97 98 99 100 101 102
    c=IN IP4 192.0.2.2
    a=sendonly
    a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
    a=extmap:3 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
    a=mid:1
    a=msid:85b6fd9e-2d42-4ae0-b60f-bc2576194f7d 98f57a7d-37c2-431d-a6a4-73108c35ff34
    a=rtcp:9 IN IP4 0.0.0.0
    a=rtcp-mux
    a=ssrc-group:FID 1886995719 647911499
    a=ssrc:1886995719 cname:39b8245e-73fb-4c2a-a730-37d55a423d05
    a=ssrc:647911499 cname:39b8245e-73fb-4c2a-a730-37d55a423d05
    a=rtpmap:97 VP8/90000
    a=rtcp-fb:97 nack
    a=rtcp-fb:97 nack pli
    a=rtcp-fb:97 goog-remb
    a=rtpmap:98 rtx/90000
    a=fmtp:98 apt=97
    a=rtpmap:99 H264/90000
    a=rtcp-fb:99 nack
    a=rtcp-fb:99 nack pli
    a=rtcp-fb:99 goog-remb
    a=fmtp:99 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
    a=rtpmap:100 rtx/90000
    a=fmtp:100 apt=99
    a=rtpmap:101 H264/90000
    a=rtcp-fb:101 nack
    a=rtcp-fb:101 nack pli
    a=rtcp-fb:101 goog-remb
    a=fmtp:101 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
    a=rtpmap:102 rtx/90000
    a=fmtp:102 apt=101
    a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 58868 typ host
    a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 47480 typ host
    a=end-of-candidates
    a=ice-ufrag:1n8T
    a=ice-pwd:uUPEEGD1QPgpOgd6jn6u8S
    a=fingerprint:sha-256 8C:1F:E8:3A:BF:09:2C:84:D1:9C:3C:50:D7:DF:2A:18:1A:FF:DC:53:34:9B:EF:D0:CB:4A:BB:81:C0:08:73:06
    a=fingerprint:sha-384 1D:16:D4:D0:54:2B:04:C7:D4:89:5E:F0:02:A1:62:6C:13:A0:3C:E0:F7:FB:10:03:66:F6:0B:CF:93:F7:10:04:FE:CF:CC:C0:15:B0:B4:E8:10:C9:C9:0F:53:2D:45:14
    a=fingerprint:sha-512 AD:13:EF:BB:6A:DC:3D:CD:9A:72:A5:6B:C9:F8:4E:D3:D7:D6:D2:47:BE:B3:A5:FD:CB:35:CA:44:C7:33:C8:53:1B:63:9A:EB:76:C5:F1:3E:22:F3:1C:F5:D7:83:E8:E7:17:49:89:06:E4:ED:91:4B:C3:AB:3D:64:3E:85:3A:85
    a=setup:actpass
    m=application 55799 UDP/DTLS/SCTP webrtc-datachannel
    c=IN IP4 192.0.2.2
    a=mid:2
    a=sctp-port:5000
    a=max-message-size:65536
    a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 55799 typ host
    a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 42478 typ host
    a=end-of-candidates
    a=ice-ufrag:TnB0
    a=ice-pwd:tjxYRPOFCV9TbB8kYE6aSk
    a=fingerprint:sha-256 8C:1F:E8:3A:BF:09:2C:84:D1:9C:3C:50:D7:DF:2A:18:1A:FF:DC:53:34:9B:EF:D0:CB:4A:BB:81:C0:08:73:06
    a=fingerprint:sha-384 1D:16:D4:D0:54:2B:04:C7:D4:89:5E:F0:02:A1:62:6C:13:A0:3C:E0:F7:FB:10:03:66:F6:0B:CF:93:F7:10:04:FE:CF:CC:C0:15:B0:B4:E8:10:C9:C9:0F:53:2D:45:14
    a=fingerprint:sha-512 AD:13:EF:BB:6A:DC:3D:CD:9A:72:A5:6B:C9:F8:4E:D3:D7:D6:D2:47:BE:B3:A5:FD:CB:35:CA:44:C7:33:C8:53:1B:63:9A:EB:76:C5:F1:3E:22:F3:1C:F5:D7:83:E8:E7:17:49:89:06:E4:ED:91:4B:C3:AB:3D:64:3E:85:3A:85
    a=setup:actpass
    """#

    /// Chromium 156's answer to the offer for ``subscribeTracks(thirdActive:)`` with every track active.
    static let chromeSubscribeAnswer = #"""
    v=0
    o=- 5417934815973496712 2 IN IP4 127.0.0.1
    s=-
    t=0 0
    a=group:BUNDLE 0 1 2
    a=msid-semantic: WMS
    m=audio 9 UDP/TLS/RTP/SAVPF 111
    c=IN IP4 0.0.0.0
    a=rtcp:9 IN IP4 0.0.0.0
    a=ice-ufrag:fkoW
    a=ice-pwd:qbRqih9nG63T8R9hqPjeBrc7
    a=ice-options:trickle
    a=fingerprint:sha-256 5F:E9:97:47:33:A7:31:37:BB:AB:EB:ED:60:94:1F:B6:2E:79:D0:A5:73:26:21:4D:F4:3C:59:D0:25:DB:81:62
    a=setup:active
    a=mid:0
    a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level
    a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
    a=recvonly
    a=rtcp-mux
    a=rtpmap:111 opus/48000/2
    a=rtcp-fb:111 transport-cc
    a=fmtp:111 minptime=10;useinbandfec=1
    m=video 9 UDP/TLS/RTP/SAVPF 96 97
    c=IN IP4 0.0.0.0
    a=rtcp:9 IN IP4 0.0.0.0
    a=ice-ufrag:fkoW
    a=ice-pwd:qbRqih9nG63T8R9hqPjeBrc7
    a=ice-options:trickle
    a=fingerprint:sha-256 5F:E9:97:47:33:A7:31:37:BB:AB:EB:ED:60:94:1F:B6:2E:79:D0:A5:73:26:21:4D:F4:3C:59:D0:25:DB:81:62
    a=setup:active
    a=mid:1
    a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
    a=recvonly
    a=rtcp-mux
    a=rtpmap:96 VP8/90000
    a=rtcp-fb:96 goog-remb
    a=rtcp-fb:96 ccm fir
    a=rtcp-fb:96 nack
    a=rtcp-fb:96 nack pli
    a=rtpmap:97 rtx/90000
    a=fmtp:97 apt=96
    m=video 9 UDP/TLS/RTP/SAVPF 96 97
    c=IN IP4 0.0.0.0
    a=rtcp:9 IN IP4 0.0.0.0
    a=ice-ufrag:fkoW
    a=ice-pwd:qbRqih9nG63T8R9hqPjeBrc7
    a=ice-options:trickle
    a=fingerprint:sha-256 5F:E9:97:47:33:A7:31:37:BB:AB:EB:ED:60:94:1F:B6:2E:79:D0:A5:73:26:21:4D:F4:3C:59:D0:25:DB:81:62
    a=setup:active
    a=mid:2
    a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
    a=recvonly
    a=rtcp-mux
    a=rtpmap:96 VP8/90000
    a=rtpmap:97 rtx/90000
    a=fmtp:97 apt=96
    """#

    /// Chromium 156's answer to the offer for ``subscribeTracks(thirdActive:)`` with mid 2 stopped.
    static let chromeSubscribeAnswerStopped = #"""
    v=0
    o=- 225683258076316923 2 IN IP4 127.0.0.1
    s=-
    t=0 0
    a=group:BUNDLE 0 1
    a=msid-semantic: WMS
    m=audio 9 UDP/TLS/RTP/SAVPF 111
    c=IN IP4 0.0.0.0
    a=rtcp:9 IN IP4 0.0.0.0
    a=ice-ufrag:V/Xp
    a=ice-pwd:geT42KyVJxkOG2f9p8g1nVDY
    a=ice-options:trickle
    a=fingerprint:sha-256 9E:82:10:7C:84:4F:18:51:08:4C:76:74:BD:A5:60:99:7C:0E:89:77:32:AF:C4:67:9B:3D:7F:04:47:C2:31:65
    a=setup:active
    a=mid:0
    a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level
    a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
    a=recvonly
    a=rtcp-mux
    a=rtpmap:111 opus/48000/2
    a=rtcp-fb:111 transport-cc
    a=fmtp:111 minptime=10;useinbandfec=1
    m=video 9 UDP/TLS/RTP/SAVPF 96 97
    c=IN IP4 0.0.0.0
    a=rtcp:9 IN IP4 0.0.0.0
    a=ice-ufrag:V/Xp
    a=ice-pwd:geT42KyVJxkOG2f9p8g1nVDY
    a=ice-options:trickle
    a=fingerprint:sha-256 9E:82:10:7C:84:4F:18:51:08:4C:76:74:BD:A5:60:99:7C:0E:89:77:32:AF:C4:67:9B:3D:7F:04:47:C2:31:65
    a=setup:active
    a=mid:1
    a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
    a=recvonly
    a=rtcp-mux
    a=rtpmap:96 VP8/90000
    a=rtcp-fb:96 goog-remb
    a=rtcp-fb:96 ccm fir
    a=rtcp-fb:96 nack
    a=rtcp-fb:96 nack pli
    a=rtpmap:97 rtx/90000
    a=fmtp:97 apt=96
    m=video 0 UDP/TLS/RTP/SAVPF 96 97
    c=IN IP4 0.0.0.0
    a=rtcp:9 IN IP4 0.0.0.0
    a=ice-ufrag:/SnN
    a=ice-pwd:c3VAWAx8VEoFI2MLBOPAxsAd
    a=ice-options:trickle
    a=fingerprint:sha-256 9E:82:10:7C:84:4F:18:51:08:4C:76:74:BD:A5:60:99:7C:0E:89:77:32:AF:C4:67:9B:3D:7F:04:47:C2:31:65
    a=setup:active
    a=mid:2
    a=inactive
    a=rtcp-mux
    a=rtpmap:96 VP8/90000
    a=rtpmap:97 rtx/90000
    a=fmtp:97 apt=96
    """#

    /// aiortc 1.14's answer to the offer for ``subscribeTracks(thirdActive:)`` with every track active.
    static let aiortcSubscribeAnswer = #"""
    v=0
    o=- 4004296664 4004296664 IN IP4 0.0.0.0
    s=-
    t=0 0
    a=group:BUNDLE 0 1 2
    a=msid-semantic:WMS *
    m=audio 58781 UDP/TLS/RTP/SAVPF 111
    c=IN IP4 192.0.2.2
    a=recvonly
    a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
    a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level
    a=mid:0
    a=msid:ac56e122-836f-48c1-bcce-7cce167ecf01 99c91f5c-6523-46eb-bb82-f9d6346362b9
    a=rtcp:9 IN IP4 0.0.0.0
    a=rtcp-mux
    a=ssrc:866869999 cname:4b635ea1-9257-4522-ad92-19192e22630d
    a=rtpmap:111 opus/48000/2
    a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 58781 typ host
    a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 44523 typ host
    a=end-of-candidates
    a=ice-ufrag:Qzkv
    a=ice-pwd:PqwMzi7W8040utIdFh8RTM
    a=fingerprint:sha-256 EF:ED:64:8F:62:CC:1E:64:6A:3D:1E:3C:65:55:B7:50:FF:24:F3:16:04:7D:F5:3D:2F:67:CF:39:65:6F:2B:C6
    a=fingerprint:sha-384 C6:9D:79:2C:33:B7:B9:0E:10:05:80:39:EC:F9:50:43:47:F8:71:2D:CA:BD:2A:4A:F7:0F:B4:53:3A:5B:56:F8:6A:77:B1:D6:B9:AD:0F:60:BF:85:3A:E8:80:F0:99:B0
    a=fingerprint:sha-512 07:D9:02:83:A6:1B:FB:ED:E3:CF:1E:7A:21:AA:13:C8:D3:BC:F3:45:1A:D7:8C:A8:CF:C5:A8:64:3A:EE:1C:46:CD:FA:EE:FC:57:6B:02:B9:4D:F2:0E:4B:27:BA:58:1B:C7:C4:F4:C6:A9:50:63:FD:E3:E8:49:E7:A1:71:AC:5C
    a=setup:active
    m=video 58781 UDP/TLS/RTP/SAVPF 96 97
    c=IN IP4 192.0.2.2
    a=recvonly
    a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
    a=mid:1
    a=msid:ac56e122-836f-48c1-bcce-7cce167ecf01 e6a1dcfb-bc5f-4c8a-be63-5b550cf46070
    a=rtcp:9 IN IP4 0.0.0.0
    a=rtcp-mux
    a=ssrc-group:FID 2869133090 1281002167
    a=ssrc:2869133090 cname:4b635ea1-9257-4522-ad92-19192e22630d
    a=ssrc:1281002167 cname:4b635ea1-9257-4522-ad92-19192e22630d
    a=rtpmap:96 VP8/90000
    a=rtcp-fb:96 nack
    a=rtcp-fb:96 nack pli
    a=rtcp-fb:96 goog-remb
    a=rtpmap:97 rtx/90000
    a=fmtp:97 apt=96
    a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 58781 typ host
    a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 44523 typ host
    a=end-of-candidates
    a=ice-ufrag:Qzkv
    a=ice-pwd:PqwMzi7W8040utIdFh8RTM
    a=fingerprint:sha-256 EF:ED:64:8F:62:CC:1E:64:6A:3D:1E:3C:65:55:B7:50:FF:24:F3:16:04:7D:F5:3D:2F:67:CF:39:65:6F:2B:C6
    a=fingerprint:sha-384 C6:9D:79:2C:33:B7:B9:0E:10:05:80:39:EC:F9:50:43:47:F8:71:2D:CA:BD:2A:4A:F7:0F:B4:53:3A:5B:56:F8:6A:77:B1:D6:B9:AD:0F:60:BF:85:3A:E8:80:F0:99:B0
    a=fingerprint:sha-512 07:D9:02:83:A6:1B:FB:ED:E3:CF:1E:7A:21:AA:13:C8:D3:BC:F3:45:1A:D7:8C:A8:CF:C5:A8:64:3A:EE:1C:46:CD:FA:EE:FC:57:6B:02:B9:4D:F2:0E:4B:27:BA:58:1B:C7:C4:F4:C6:A9:50:63:FD:E3:E8:49:E7:A1:71:AC:5C
    a=setup:active
    m=video 9 UDP/TLS/RTP/SAVPF 96 97
    c=IN IP4 0.0.0.0
    a=recvonly
    a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
    a=mid:2
    a=msid:ac56e122-836f-48c1-bcce-7cce167ecf01 f04238f3-5652-4994-a55d-02aac2395220
    a=rtcp:9 IN IP4 0.0.0.0
    a=rtcp-mux
    a=ssrc-group:FID 108065933 121777435
    a=ssrc:108065933 cname:4b635ea1-9257-4522-ad92-19192e22630d
    a=ssrc:121777435 cname:4b635ea1-9257-4522-ad92-19192e22630d
    a=rtpmap:96 VP8/90000
    a=rtpmap:97 rtx/90000
    a=fmtp:97 apt=96
    a=ice-ufrag:RuCl
    a=ice-pwd:v4oUNXzfbh7GUaAHLgLBzl
    a=fingerprint:sha-256 EF:ED:64:8F:62:CC:1E:64:6A:3D:1E:3C:65:55:B7:50:FF:24:F3:16:04:7D:F5:3D:2F:67:CF:39:65:6F:2B:C6
    a=fingerprint:sha-384 C6:9D:79:2C:33:B7:B9:0E:10:05:80:39:EC:F9:50:43:47:F8:71:2D:CA:BD:2A:4A:F7:0F:B4:53:3A:5B:56:F8:6A:77:B1:D6:B9:AD:0F:60:BF:85:3A:E8:80:F0:99:B0
    a=fingerprint:sha-512 07:D9:02:83:A6:1B:FB:ED:E3:CF:1E:7A:21:AA:13:C8:D3:BC:F3:45:1A:D7:8C:A8:CF:C5:A8:64:3A:EE:1C:46:CD:FA:EE:FC:57:6B:02:B9:4D:F2:0E:4B:27:BA:58:1B:C7:C4:F4:C6:A9:50:63:FD:E3:E8:49:E7:A1:71:AC:5C
    a=setup:active
    """#

    /// aiortc 1.14's answer to the offer for ``subscribeTracks(thirdActive:)`` with mid 2 stopped: it answers
    /// port 9 and inactive where Chromium answers port 0.
    static let aiortcSubscribeAnswerStopped = #"""
    v=0
    o=- 4004296664 4004296664 IN IP4 0.0.0.0
    s=-
    t=0 0
    a=group:BUNDLE 0 1 2
    a=msid-semantic:WMS *
    m=audio 37521 UDP/TLS/RTP/SAVPF 111
    c=IN IP4 192.0.2.2
    a=recvonly
    a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
    a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level
    a=mid:0
    a=msid:3648b69d-b075-4211-8249-477fb181ba18 427265aa-ffbc-4e32-b89a-ca591103130a
    a=rtcp:9 IN IP4 0.0.0.0
    a=rtcp-mux
    a=ssrc:1274230030 cname:20d9acc0-35b1-4369-8551-ef63be1c0802
    a=rtpmap:111 opus/48000/2
    a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 37521 typ host
    a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 39326 typ host
    a=end-of-candidates
    a=ice-ufrag:o0JO
    a=ice-pwd:z10IT9iKWN2ArM6j5kouTt
    a=fingerprint:sha-256 44:DE:9E:37:6A:7C:42:11:C1:E9:27:AE:EE:FF:40:93:34:83:A7:D4:2D:6A:91:35:37:CF:92:E3:6B:09:46:DF
    a=fingerprint:sha-384 FA:FA:19:DD:D0:FF:90:48:AB:28:1D:2C:E9:10:6A:85:57:9B:EB:15:11:54:84:44:32:F8:5F:ED:08:93:D2:8F:49:70:02:60:5B:B6:EF:46:80:56:12:78:52:8B:67:7E
    a=fingerprint:sha-512 D0:77:27:E5:97:EE:53:65:99:52:6E:0D:D8:0B:55:7C:AE:AB:C9:70:1F:95:20:A3:9D:F2:EA:57:5C:64:63:79:75:CA:22:04:D0:81:75:57:07:BD:F1:19:F6:B3:FE:DE:32:2C:CD:07:A4:04:3E:4F:C0:1B:7F:E0:AB:70:4C:04
    a=setup:active
    m=video 37521 UDP/TLS/RTP/SAVPF 96 97
    c=IN IP4 192.0.2.2
    a=recvonly
    a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
    a=mid:1
    a=msid:3648b69d-b075-4211-8249-477fb181ba18 7af82665-f4a8-4ff0-9d6b-c3064ac3f28a
    a=rtcp:9 IN IP4 0.0.0.0
    a=rtcp-mux
    a=ssrc-group:FID 377397242 3336243356
    a=ssrc:377397242 cname:20d9acc0-35b1-4369-8551-ef63be1c0802
    a=ssrc:3336243356 cname:20d9acc0-35b1-4369-8551-ef63be1c0802
    a=rtpmap:96 VP8/90000
    a=rtcp-fb:96 nack
    a=rtcp-fb:96 nack pli
    a=rtcp-fb:96 goog-remb
    a=rtpmap:97 rtx/90000
    a=fmtp:97 apt=96
    a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 37521 typ host
    a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 39326 typ host
    a=end-of-candidates
    a=ice-ufrag:o0JO
    a=ice-pwd:z10IT9iKWN2ArM6j5kouTt
    a=fingerprint:sha-256 44:DE:9E:37:6A:7C:42:11:C1:E9:27:AE:EE:FF:40:93:34:83:A7:D4:2D:6A:91:35:37:CF:92:E3:6B:09:46:DF
    a=fingerprint:sha-384 FA:FA:19:DD:D0:FF:90:48:AB:28:1D:2C:E9:10:6A:85:57:9B:EB:15:11:54:84:44:32:F8:5F:ED:08:93:D2:8F:49:70:02:60:5B:B6:EF:46:80:56:12:78:52:8B:67:7E
    a=fingerprint:sha-512 D0:77:27:E5:97:EE:53:65:99:52:6E:0D:D8:0B:55:7C:AE:AB:C9:70:1F:95:20:A3:9D:F2:EA:57:5C:64:63:79:75:CA:22:04:D0:81:75:57:07:BD:F1:19:F6:B3:FE:DE:32:2C:CD:07:A4:04:3E:4F:C0:1B:7F:E0:AB:70:4C:04
    a=setup:active
    m=video 9 UDP/TLS/RTP/SAVPF 96 97
    c=IN IP4 0.0.0.0
    a=inactive
    a=mid:2
    a=msid:3648b69d-b075-4211-8249-477fb181ba18 0af64b9d-d019-41bd-9f8a-b6a3edce38f3
    a=rtcp:9 IN IP4 0.0.0.0
    a=rtcp-mux
    a=ssrc-group:FID 1829799086 2063721472
    a=ssrc:1829799086 cname:20d9acc0-35b1-4369-8551-ef63be1c0802
    a=ssrc:2063721472 cname:20d9acc0-35b1-4369-8551-ef63be1c0802
    a=rtpmap:96 VP8/90000
    a=rtpmap:97 rtx/90000
    a=fmtp:97 apt=96
    a=ice-ufrag:YMnl
    a=ice-pwd:eShfdWE461eM1O9Fzffl8x
    a=fingerprint:sha-256 44:DE:9E:37:6A:7C:42:11:C1:E9:27:AE:EE:FF:40:93:34:83:A7:D4:2D:6A:91:35:37:CF:92:E3:6B:09:46:DF
    a=fingerprint:sha-384 FA:FA:19:DD:D0:FF:90:48:AB:28:1D:2C:E9:10:6A:85:57:9B:EB:15:11:54:84:44:32:F8:5F:ED:08:93:D2:8F:49:70:02:60:5B:B6:EF:46:80:56:12:78:52:8B:67:7E
    a=fingerprint:sha-512 D0:77:27:E5:97:EE:53:65:99:52:6E:0D:D8:0B:55:7C:AE:AB:C9:70:1F:95:20:A3:9D:F2:EA:57:5C:64:63:79:75:CA:22:04:D0:81:75:57:07:BD:F1:19:F6:B3:FE:DE:32:2C:CD:07:A4:04:3E:4F:C0:1B:7F:E0:AB:70:4C:04
    a=setup:active
    """#
}
