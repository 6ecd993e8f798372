@testable import MediaNodes

/// Publish offers captured from aiortc 1.14.
extension SDPFixtures {
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
}
