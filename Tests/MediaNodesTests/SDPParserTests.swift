import Testing

@testable import MediaNodes

@Suite struct SDPParserTests {
    /// The LF fixture with CRLF line endings, as browsers send it (the last line ends in CRLF too).
    private func crlf(_ text: String) -> String {
        text.split(separator: "\n").joined(separator: "\r\n") + "\r\n"
    }

    @Test func parsesChromeSessionLevel() throws {
        let offer = try SessionDescription(parsing: SDPFixtures.chromeSimulcastOffer)
        #expect(offer.origin == SDPOrigin(sessionID: "6058541289718394970", sessionVersion: 2, address: "127.0.0.1"))
        #expect(offer.sessionName == "-")
        #expect(offer.timing == SDPTiming(start: 0, stop: 0))
        #expect(offer.bundleGroup == SDPGroup(semantics: "BUNDLE", mids: ["0", "1", "2"]))
        #expect(offer.has("extmap-allow-mixed"))
        #expect(!offer.isICELite)
        #expect(offer.media.map(\.kind) == [.audio, .video, .application])
        #expect(offer.media.map(\.mid) == ["0", "1", "2"])
    }

    @Test func parsesChromeAudioSection() throws {
        let audio = try #require(try SessionDescription(parsing: SDPFixtures.chromeSimulcastOffer).media.first)
        #expect(audio.port == 49362)
        #expect(audio.proto == "UDP/TLS/RTP/SAVPF")
        #expect(audio.payloadTypes == [111, 63, 9, 0, 8, 13, 110, 126])
        #expect(audio.connection == SDPConnection(addressType: "IP4", address: "192.0.2.2"))
        #expect(audio.direction == .sendonly)
        #expect(audio.isRTCPMuxed && audio.isRTCPReducedSize)
        #expect(audio.iceUfrag == "rS7a" && audio.icePwd == "a3fD+n6wcteJfjvHMp6DTZZ6")
        #expect(audio.iceOptions == ["trickle"])
        #expect(audio.setup == .actpass)
        #expect(audio.fingerprints.map(\.algorithm) == ["sha-256"])
        #expect(audio.fingerprints.first?.bytes.count == 32)
        #expect(audio.rtpMap(for: 111) == RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2))
        #expect(audio.rtpMap(for: 0)?.channels == nil)
        #expect(audio.formatParameters(for: 111)?.value(of: "useinbandfec") == "1")
        #expect(audio.formatParameters(for: 63)?.parameters == "111/111")
        #expect(audio.rtcpFeedback(for: 111) == [RTCPFeedback(payloadType: 111, type: "transport-cc")])
        #expect(audio.extMaps.first { $0.uri == RTPHeaderExtensionURI.mid }?.id == 4)
        #expect(audio.ssrcs == [3054754472])
        #expect(audio.ssrcAttribute("cname", of: 3054754472) == "WjvwhDQQxqLHfdLS")
        #expect(audio.msid == MSID(streamID: "4c0d8e53-4094-49fa-9203-a4db7c5e88ec", trackID: "4d711c21-de11-48eb-ad2a-478f3a6fa6aa"))
        #expect(audio.candidates.count == 4)
        #expect(audio.candidates.first == "2830853595 1 udp 2122194687 192.0.2.2 49362 typ host generation 0 network-id 1")
        #expect(!audio.hasEndOfCandidates)
        // Attributes the node does not read survive as written.
        #expect(audio.value(of: "rtcp-xr") == "rcvr-rtt=all")
    }

    @Test func parsesChromeSimulcastVideoAndDataChannel() throws {
        let offer = try SessionDescription(parsing: SDPFixtures.chromeSimulcastOffer)
        let video = offer.media[1]
        #expect(video.rids == ["q", "h", "f"].map { RIDDescription(id: $0, direction: .send) })
        #expect(video.simulcast == SimulcastDescription(send: [[.init(rid: "q")], [.init(rid: "h")], [.init(rid: "f")]]))
        #expect(video.rtcpFeedback(for: 96).map(\.type) == ["goog-remb", "transport-cc", "ccm", "nack", "nack"])
        #expect(video.rtcpFeedback(for: 96)[4].parameter == "pli")
        #expect(video.formatParameters(for: 108)?.value(of: "profile-level-id") == "42e01f")
        #expect(video.extMaps.count == 13)
        #expect(video.ssrcs.isEmpty)
        let data = offer.media[2]
        #expect(data.formats == ["webrtc-datachannel"] && data.payloadTypes.isEmpty)
        #expect(data.value(of: "sctp-port") == "5000")
    }

    @Test func parsesSSRCGroupsAndPerMediaTransport() throws {
        let chrome = try SessionDescription(parsing: SDPFixtures.chromeOffer)
        #expect(chrome.media[1].ssrcGroups == [SSRCGroup(semantics: "FID", ssrcs: [1091145881, 3595970173])])
        #expect(chrome.media[1].ssrcAttribute("msid", of: 3595970173)?.hasPrefix("e61cadee") == true)
        let aiortc = try SessionDescription(parsing: SDPFixtures.aiortcOffer)
        #expect(aiortc.media.map(\.iceUfrag) == ["fLx8", "3W5e"])
        #expect(aiortc.media[0].fingerprints.map(\.algorithm) == ["sha-256", "sha-384", "sha-512"])
        #expect(aiortc.media[0].hasEndOfCandidates)
        #expect(aiortc.media[1].ssrcGroups.first?.semantics == SSRCGroup.retransmission)
    }

    @Test func roundTripsCRLFTextByteForByte() throws {
        for fixture in [SDPFixtures.chromeSimulcastOffer, SDPFixtures.aiortcOffer, SDPFixtures.chromeSubscribeAnswer] {
            let text = crlf(fixture)
            #expect(try SessionDescription(parsing: text).serialized() == text)
        }
    }

    @Test func acceptsLFAndWritesCRLF() throws {
        let parsed = try SessionDescription(parsing: SDPFixtures.chromeOffer)
        #expect(parsed == (try SessionDescription(parsing: crlf(SDPFixtures.chromeOffer))))
        let written = parsed.serialized()
        #expect(written.hasPrefix("v=0\r\no=- 5338871483967283410 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"))
        #expect(written.hasSuffix("\r\n"))
        #expect(!written.utf8.split(separator: UInt8(ascii: "\n")).contains { $0.last != UInt8(ascii: "\r") })
    }

    @Test func keepsMDNSCandidates() throws {
        let candidate = "1467250027 1 udp 2122260223 2a8fb1b4-6b5e-4a5e-9e8d-2c6e1e3b9a4f.local 54321 typ host generation 0 network-id 1"
        let text = SDPFixtures.chromeOffer.replacing("a=candidate:", with: "a=candidate:\(candidate)\na=candidate:", maxReplacements: 1)
        let offer = try SessionDescription(parsing: text)
        #expect(offer.media[0].candidates.first == candidate)
        #expect(offer.media[0].candidates.count == 5)
    }

    @Test func fallsBackToSessionLevelTransportAttributes() throws {
        let text = """
            v=0
            o=- 1 1 IN IP4 0.0.0.0
            s=-
            t=0 0
            a=ice-ufrag:sess
            a=ice-pwd:sessionpassword
            a=ice-options:trickle
            a=fingerprint:sha-256 AB:CD
            a=setup:active
            m=audio 9 UDP/TLS/RTP/SAVPF 111
            a=mid:a
            m=audio 9 UDP/TLS/RTP/SAVPF 111
            a=mid:b
            a=ice-ufrag:own
            a=setup:passive
            """
        let description = try SessionDescription(parsing: text)
        let (first, second) = (description.media[0], description.media[1])
        #expect(description.iceUfrag(for: first) == "sess" && description.iceUfrag(for: second) == "own")
        #expect(description.icePwd(for: second) == "sessionpassword")
        #expect(description.iceOptions(for: first) == ["trickle"])
        #expect(description.fingerprints(for: second) == [SDPFingerprint(algorithm: "SHA-256", value: "ab:cd")])
        #expect(description.setup(for: first) == .active && description.setup(for: second) == .passive)
        #expect(first.direction == .sendrecv)
    }

    @Test func parsesSimulcastAlternativesPausedStreamsAndWildcardFeedback() throws {
        let simulcast = try #require(SimulcastDescription(attributeValue: "recv c send 1,~4;2;~3"))
        #expect(simulcast.send == [[.init(rid: "1"), .init(rid: "4", paused: true)], [.init(rid: "2")], [.init(rid: "3", paused: true)]])
        #expect(simulcast.receive == [[.init(rid: "c")]])
        #expect(SimulcastDescription.rids(of: simulcast.send) == ["1", "4", "2", "3"])
        #expect(simulcast.attribute == SDPAttribute("simulcast", "send 1,~4;2;~3 recv c"))
        let wildcard = try #require(RTCPFeedback(attributeValue: "* nack"))
        #expect(wildcard.applies(to: 96) && wildcard.applies(to: 100))
        #expect(ExtMap(attributeValue: "3/recvonly urn:x attrs") == ExtMap(id: 3, direction: .recvonly, uri: "urn:x", extensionAttributes: "attrs"))
        #expect(RIDDescription(attributeValue: "h send max-width=640;max-height=360")?.restrictions == "max-width=640;max-height=360")
        #expect(MSID(attributeValue: "- track")?.streamID == "-")
    }

    /// Garbage, and the number of the line that must be named.
    static let garbage: [(text: String, line: Int)] = [
        ("hello", 1),
        ("v=1\no=- 1 1 IN IP4 0.0.0.0", 1),
        ("v=0\no=- 1 IN IP4 0.0.0.0", 2),
        ("v=0\no=- x 1 IN IP4 0.0.0.0", 2),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0", 4),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio", 5),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 70000 RTP/AVP 0", 5),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\nt=0 0", 6),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=rtpmap:96 VP8", 6),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=rtpmap:200 VP8/90000", 6),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=extmap:0 urn:x", 6),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=ssrc:abc cname:x", 6),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=ssrc-group:FID 1 x", 6),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=setup:maybe", 6),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=fingerprint:sha-256 ZZ:00", 6),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=simulcast:send", 6),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=rid:q sideways", 6),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=mid:", 6),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=candidate", 6),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\nx =1", 6),
        ("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\nA=foo", 6),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=x\ry", 6),
    ]

    @Test(arguments: garbage) func refusesGarbageNamingTheLine(text: String, line: Int) {
        #expect {
            try SessionDescription(parsing: text)
        } throws: { error in
            guard case .malformedLine(let number, _, _) = error as? SDPError else { return false }
            return number == line
        }
    }

    @Test func refusesIncompleteDescriptions() {
        #expect(throws: SDPError.malformedDescription("no v=0 line")) { try SessionDescription(parsing: "\n\n") }
        #expect(throws: SDPError.malformedDescription("no t= line")) { try SessionDescription(parsing: "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-") }
        #expect(throws: SDPError.malformedDescription("no s= line")) { try SessionDescription(parsing: "v=0\no=- 1 1 IN IP4 0.0.0.0\nt=0 0") }
    }

    @Test func namesTheLineInTheMessage() {
        let error = SDPError.malformedLine(number: 6, line: "a=rtpmap:96 VP8", reason: "invalid a=rtpmap value")
        #expect(error.message == "Malformed SDP line 6 (a=rtpmap:96 VP8): invalid a=rtpmap value")
    }
}
