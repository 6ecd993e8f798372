@testable import MediaNodes

/// Publish offers captured from Chromium 156 (headless, fake devices).
extension SDPFixtures {
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
}
