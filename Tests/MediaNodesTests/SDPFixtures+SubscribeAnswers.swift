@testable import MediaNodes

/// Chromium 156's and aiortc 1.14's answers to the node's subscribe offers.
extension SDPFixtures {
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
