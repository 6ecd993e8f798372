import Testing

@testable import MediaNodes

@Suite struct SDPPublishNegotiationTests {
    private func answer(_ offer: String, transport: NodeTransportParameters = SDPFixtures.transport) throws -> PublishAnswer {
        try PublishNegotiation.answer(to: SessionDescription(parsing: offer), transport: transport, origin: SDPFixtures.origin)
    }

    /// The offer with every line for which `drop` is true left out.
    private func offer(_ text: String, dropping drop: (Substring) -> Bool) -> String {
        text.split(separator: "\n").filter { !drop($0) }.joined(separator: "\n")
    }

    @Test func answersChromeSimulcastOffer() throws {
        let result = try answer(SDPFixtures.chromeSimulcastOffer)
        let session = result.answer
        #expect(session.isICELite)
        #expect(session.bundleGroup?.mids == ["0", "1"])
        #expect(session.value(of: "msid-semantic") == " WMS *")
        #expect(session.fingerprints == [SDPFingerprint(attributeValue: SDPFixtures.transport.fingerprint)])
        #expect(result.remote == RemoteTransportParameters(
            iceUfrag: "rS7a", icePwd: "a3fD+n6wcteJfjvHMp6DTZZ6",
            fingerprint: SDPFingerprint(algorithm: "sha-256", value: "A9:65:B7:7B:4A:5B:48:DE:54:1C:70:9D:93:52:1D:9C:A3:61:07:CF:F1:98:92:DC:34:27:49:0E:A5:00:38:6F"),
            setup: .actpass
        ))

        let audio = result.media[0]
        #expect(audio.accepted && audio.kind == .audio && audio.direction == .recvonly)
        #expect(audio.codec == NegotiatedCodec(
            name: "opus", payloadType: 111, clockRate: 48000, channels: 2, formatParameters: "minptime=10;useinbandfec=1",
            feedback: [RTCPFeedback(payloadType: 111, type: "transport-cc")]
        ))
        #expect(audio.rtxPayloadType == nil)
        #expect(audio.headerExtensionID(for: RTPHeaderExtensionURI.audioLevel) == 1)
        #expect(audio.headerExtensionID(for: RTPHeaderExtensionURI.mid) == 4)
        #expect(audio.headerExtensions.count == 2)
        #expect(audio.ssrcs.media == [3054754472] && audio.ssrcs.cname == "WjvwhDQQxqLHfdLS")
        #expect(audio.msid?.trackID == "4d711c21-de11-48eb-ad2a-478f3a6fa6aa")

        let video = result.media[1]
        #expect(video.accepted && video.codec?.name == "VP8" && video.codec?.payloadType == 96 && video.rtxPayloadType == 97)
        #expect(video.codec?.feedback.count == 5)
        #expect(video.rids == ["q", "h", "f"])
        #expect(video.headerExtensions.map(\.id) == [4, 10, 11])
        #expect(video.headerExtensionID(for: RTPHeaderExtensionURI.repairedRTPStreamID) == 11)
        #expect(video.ssrcs == OfferedSSRCs())

        #expect(result.media[2] == .rejected(mid: "2", kind: .application))
    }

    @Test func writesTheAcceptedSections() throws {
        let sections = try answer(SDPFixtures.chromeSimulcastOffer).answer.media
        let audio = sections[0]
        #expect(audio.port == 40000 && audio.connection == SDPConnection(address: "127.0.0.1"))
        #expect(audio.formats == ["111"])
        #expect(audio.mid == "0" && audio.direction == .recvonly && audio.setup == .passive)
        #expect(audio.iceUfrag == "nodeUfrag1" && audio.icePwd == "nodePasswordNodePassword")
        #expect(audio.isRTCPMuxed && audio.isRTCPReducedSize)
        #expect(audio.formatParameters(for: 111)?.parameters == "minptime=10;useinbandfec=1")
        #expect(audio.candidates == ["1 1 udp 2130706431 127.0.0.1 40000 typ host"] && audio.hasEndOfCandidates)
        let video = sections[1]
        #expect(video.formats == ["96", "97"])
        #expect(video.formatParameters(for: 97)?.parameters == "apt=96")
        #expect(video.extMaps.map(\.uri) == [RTPHeaderExtensionURI.mid, RTPHeaderExtensionURI.rtpStreamID, RTPHeaderExtensionURI.repairedRTPStreamID])
        #expect(video.rids.map(\.direction) == [.recv, .recv, .recv])
        #expect(video.value(of: "simulcast") == "recv q;h;f")
        let data = sections[2]
        #expect(data.port == 0 && data.mid == "2" && data.formats == ["webrtc-datachannel"] && data.direction == .inactive)
        #expect(data.candidates.isEmpty)
    }

    @Test func keepsOnlySupportedFeedbackAndExtensions() throws {
        let text = SDPFixtures.chromeOffer.replacing("a=rtcp-fb:96 nack pli", with: "a=rtcp-fb:96 nack pli\na=rtcp-fb:96 nack rpsi\na=rtcp-fb:* ccm tmmbr")
        let video = try #require(try answer(text).answer.media.last)
        #expect(video.rtcpFeedback.map(\.type) == ["goog-remb", "transport-cc", "ccm", "nack", "nack"])
        #expect(!video.extMaps.contains { $0.uri.contains("abs-send-time") || $0.uri.contains("transport-wide") })
    }

    @Test func readsChromeSSRCs() throws {
        let video = try answer(SDPFixtures.chromeOffer).media[1]
        #expect(video.ssrcs.retransmissions == [RetransmissionPair(media: 1091145881, rtx: 3595970173)])
        #expect(video.ssrcs.media == [1091145881] && video.ssrcs.rtx(for: 1091145881) == 3595970173)
        #expect(video.ssrcs.cname == "EhWXW24VGU+J4o5b")
        #expect(video.rids.isEmpty)
        #expect(video.msid?.streamID == "e61cadee-2736-4dd2-b63e-1e7cd99418dd")
    }

    @Test func answersAiortcOffer() throws {
        let result = try answer(SDPFixtures.aiortcOffer)
        // aiortc gives every m-line its own ufrag; the bundle tag's (mid 0) is the one it keeps.
        #expect(result.remote.iceUfrag == "fLx8")
        #expect(result.remote.fingerprint.algorithm == "sha-256")
        #expect(result.media[0].codec?.payloadType == 96 && result.media[0].codec?.formatParameters == nil)
        #expect(result.media[0].headerExtensions == [HeaderExtension(id: 1, uri: RTPHeaderExtensionURI.mid), HeaderExtension(id: 2, uri: RTPHeaderExtensionURI.audioLevel)])
        let video = result.media[1]
        #expect(video.codec?.payloadType == 97 && video.rtxPayloadType == 98)
        #expect(video.codec?.feedback.map(\.type) == ["nack", "nack", "goog-remb"])
        #expect(video.headerExtensions == [HeaderExtension(id: 1, uri: RTPHeaderExtensionURI.mid)])
        #expect(video.ssrcs.retransmissions == [RetransmissionPair(media: 1332797414, rtx: 3270468758)])
        #expect(!result.answer.media[0].isRTCPReducedSize)
        #expect(result.answer.bundleGroup?.mids == ["0", "1"])
    }

    @Test func rejectsAiortcDataChannelKeepingTheOrder() throws {
        let result = try answer(SDPFixtures.aiortcOfferWithDataChannel)
        #expect(result.media.map(\.accepted) == [true, true, false])
        #expect(result.answer.media.map(\.mid) == ["0", "1", "2"])
        #expect(result.answer.media[2].port == 0)
    }

    @Test func prefersH264ConstrainedBaselineWithoutVP8() throws {
        let noVP8 = SDPFixtures.chromeOffer.replacing("a=rtpmap:96 VP8/90000", with: "a=rtpmap:96 VP9/90000")
        let video = try answer(noVP8).media[1]
        #expect(video.codec?.name == "H264" && video.codec?.payloadType == 108 && video.rtxPayloadType == 109)
        #expect(video.codec?.formatParameters == "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f")
        // Without 42e01f, the baseline 42001f in packetization-mode 1 is next.
        let no42e01f = offer(noVP8) { $0.hasPrefix("a=rtpmap:108 ") }
        #expect(try answer(no42e01f).media[1].codec?.payloadType == 102)
        // Packetization-mode 0 and main profile are never taken.
        let onlyMode0AndMain = offer(no42e01f) { $0.hasPrefix("a=rtpmap:102 ") }
        let rejected = try answer(onlyMode0AndMain)
        #expect(!rejected.media[1].accepted && rejected.answer.media[1].port == 0)
        #expect(rejected.answer.bundleGroup?.mids == ["0"])
    }

    @Test func rejectsAudioWithoutOpusAndStoppedSections() throws {
        let noOpus = offer(SDPFixtures.chromeOffer) { $0.hasPrefix("a=rtpmap:111 ") }
        let result = try answer(noOpus)
        #expect(result.media.map(\.accepted) == [false, true])
        #expect(result.answer.media[0].port == 0 && result.answer.media[0].mid == "0" && result.answer.media[0].isRTCPMuxed)
        #expect(result.remote.iceUfrag == "a/kK")
        let stopped = SDPFixtures.chromeOffer.replacing("m=video 54389", with: "m=video 0")
        #expect(try answer(stopped).media.map(\.accepted) == [true, false])
    }

    @Test func answersInactiveWhenTheClientSendsNothing() throws {
        let result = try answer(SDPFixtures.chromeOffer.replacing("a=sendonly", with: "a=inactive", maxReplacements: 1))
        #expect(result.media[0].accepted && result.media[0].direction == .inactive)
        #expect(result.answer.media[0].direction == .inactive)
    }

    @Test func usesTheFirstCandidateAddress() throws {
        let ipv6 = NodeTransportParameters(iceUfrag: "u", icePwd: "p", fingerprint: "sha-256 AB", candidates: ["2 1 udp 1 2001:db8::7 41000 typ host"])
        let section = try answer(SDPFixtures.aiortcOffer, transport: ipv6).answer.media[0]
        #expect(section.port == 41000 && section.connection == SDPConnection(addressType: "IP6", address: "2001:db8::7"))
        let none = NodeTransportParameters(iceUfrag: "u", icePwd: "p", fingerprint: "sha-256 AB", candidates: [])
        let bare = try answer(SDPFixtures.aiortcOffer, transport: none).answer.media[0]
        #expect(bare.port == 9 && bare.connection == SDPConnection(address: "0.0.0.0") && bare.candidates.isEmpty && bare.hasEndOfCandidates)
    }

    @Test func answerParsesBackAsWritten() throws {
        let text = try answer(SDPFixtures.chromeSimulcastOffer).answer.serialized()
        #expect(try SessionDescription(parsing: text).serialized() == text)
        #expect(text.hasPrefix("v=0\r\no=- 4242 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-lite\r\na=group:BUNDLE 0 1\r\n"))
    }

    /// Offers the node refuses, and the start of the message it gives.
    static let refusals: [(change: @Sendable (String) -> String, message: String)] = [
        ({ $0.replacing("a=group:BUNDLE 0 1\n", with: "") }, "Media section 0 is not in an a=group:BUNDLE"),
        ({ $0.replacing("a=group:BUNDLE 0 1", with: "a=group:BUNDLE 0") }, "Media section 1 is not in an a=group:BUNDLE"),
        ({ $0.replacing("a=rtcp-mux\n", with: "") }, "Media section 0 has no a=rtcp-mux"),
        ({ $0.replacing("a=setup:actpass", with: "a=setup:passive") }, "The offer must say a=setup:actpass or active"),
        ({ $0.replacing("a=setup:actpass\n", with: "") }, "The offer must say a=setup:actpass or active"),
        ({ $0.replacing("a=fingerprint:sha-256", with: "a=fingerprint:sha-1") }, "The offer has no sha-256 DTLS fingerprint"),
        ({ $0.replacing("a=ice-pwd:", with: "a=x-ice-pwd:") }, "The offer has no ICE username fragment or password"),
        ({ $0.replacing("a=mid:1\n", with: "") }, "Every media section of the offer needs an a=mid"),
        ({ $0.replacing("a=mid:1\n", with: "a=mid:0\n") }, "Two media sections of the offer share a mid"),
        ({ $0.split(separator: "\n").prefix(7).joined(separator: "\n") }, "The offer has no media section"),
    ]

    @Test(arguments: refusals) func refusesOffersTheNodeCannotServe(change: @Sendable (String) -> String, message: String) {
        #expect {
            try answer(change(SDPFixtures.chromeOffer))
        } throws: { error in
            guard case .unacceptable(let reason) = error as? SDPError else { return false }
            return reason.hasPrefix(message)
        }
    }

    @Test func neverCrashesOnTruncatedOrReorderedOffers() {
        let bytes = Array(SDPFixtures.chromeSimulcastOffer.utf8)
        var answered = 0
        for length in stride(from: 0, through: bytes.count, by: 13) {
            let text = String(decoding: bytes[..<length], as: UTF8.self)
            if (try? answer(text)) != nil { answered += 1 }
        }
        // Truncations that cut the data channel section off still give a valid offer.
        #expect(answered > 0)
        let lines = SDPFixtures.chromeOffer.split(separator: "\n")
        for shift in 1..<lines.count {
            let rotated = (lines[shift...] + lines[..<shift]).joined(separator: "\n")
            _ = try? answer(rotated)
        }
    }
}
