import Testing

@testable import MediaNodes

@Suite struct SDPSubscribeTests {
    private func offer(thirdActive: Bool) throws -> SessionDescription {
        try SubscribeOffer.make(tracks: SDPFixtures.subscribeTracks(thirdActive: thirdActive), transport: SDPFixtures.transport, origin: SDPFixtures.origin)
    }

    @Test func writesTheWholeOfferForOneTrack() throws {
        let track = try #require(SDPFixtures.subscribeTracks(thirdActive: true).dropFirst().first)
        let text = try SubscribeOffer.make(tracks: [track], transport: SDPFixtures.transport, origin: SDPFixtures.origin).serialized()
        let expected = """
            v=0
            o=- 4242 1 IN IP4 0.0.0.0
            s=-
            t=0 0
            a=ice-lite
            a=group:BUNDLE 1
            a=msid-semantic: WMS *
            a=fingerprint:\(SDPFixtures.transport.fingerprint)
            m=video 40000 UDP/TLS/RTP/SAVPF 96 97
            c=IN IP4 127.0.0.1
            a=mid:1
            a=ice-ufrag:nodeUfrag1
            a=ice-pwd:nodePasswordNodePassword
            a=setup:actpass
            a=sendonly
            a=msid:PA_1 MT_v
            a=rtcp-mux
            a=rtpmap:96 VP8/90000
            a=rtcp-fb:96 nack
            a=rtcp-fb:96 nack pli
            a=rtcp-fb:96 ccm fir
            a=rtcp-fb:96 goog-remb
            a=rtpmap:97 rtx/90000
            a=fmtp:97 apt=96
            a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
            a=ssrc-group:FID 2222 3333
            a=ssrc:2222 cname:PA_1
            a=ssrc:2222 msid:PA_1 MT_v
            a=ssrc:3333 cname:PA_1
            a=ssrc:3333 msid:PA_1 MT_v
            a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host
            a=end-of-candidates

            """
        #expect(text == expected.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n"))
    }

    @Test func offersAudioLevelOnAudioOnly() throws {
        let sections = try offer(thirdActive: true).media
        #expect(sections[0].extMaps == [
            ExtMap(id: SubscribeOffer.midExtensionID, uri: RTPHeaderExtensionURI.mid),
            ExtMap(id: SubscribeOffer.audioLevelExtensionID, uri: RTPHeaderExtensionURI.audioLevel),
        ])
        #expect(sections[0].formats == ["111"] && sections[0].formatParameters(for: 111)?.parameters == "minptime=10;useinbandfec=1")
        #expect(sections[0].rtcpFeedback(for: 111) == [RTCPFeedback(payloadType: 111, type: "transport-cc")])
        #expect(sections[0].ssrcGroups.isEmpty && sections[0].ssrcs == [1111])
        #expect(sections[1].extMaps.map(\.uri) == [RTPHeaderExtensionURI.mid])
    }

    @Test func keepsStoppedTracksInPlaceOutsideTheBundle() throws {
        let description = try offer(thirdActive: false)
        #expect(description.media.map(\.mid) == ["0", "1", "2"])
        #expect(description.bundleGroup?.mids == ["0", "1"])
        let stopped = description.media[2]
        #expect(stopped.port == 0 && stopped.direction == .inactive && stopped.formats == ["96", "97"])
        #expect(stopped.ssrcs.isEmpty && stopped.candidates.isEmpty && stopped.msid == nil)
        #expect(stopped.setup == .actpass && stopped.isRTCPMuxed)
    }

    @Test func refusesOffersThatWouldBeCallerBugs() throws {
        let tracks = SDPFixtures.subscribeTracks(thirdActive: true)
        var duplicate = tracks
        duplicate[2].mid = "1"
        var data = tracks
        data[0].kind = .application
        for bad in [[], duplicate, data] {
            #expect(throws: SDPError.self) {
                try SubscribeOffer.make(tracks: bad, transport: SDPFixtures.transport, origin: SDPFixtures.origin)
            }
        }
    }

    /// The real answers captured for the fixture offers, and which mids they accepted.
    static let capturedAnswers: [(answer: String, thirdActive: Bool, ufrag: String)] = [
        (SDPFixtures.chromeSubscribeAnswer, true, "fkoW"),
        (SDPFixtures.chromeSubscribeAnswerStopped, false, "V/Xp"),
        (SDPFixtures.aiortcSubscribeAnswer, true, "Qzkv"),
        (SDPFixtures.aiortcSubscribeAnswerStopped, false, "o0JO"),
    ]

    @Test(arguments: capturedAnswers) func checksRealAnswers(answer: String, thirdActive: Bool, ufrag: String) throws {
        let result = try SubscribeAnswer.check(answer: SessionDescription(parsing: answer), for: offer(thirdActive: thirdActive))
        #expect(result.media == [
            SubscribedMedia(mid: "0", accepted: true), SubscribedMedia(mid: "1", accepted: true),
            SubscribedMedia(mid: "2", accepted: thirdActive),
        ])
        #expect(result.remote.iceUfrag == ufrag)
        #expect(result.remote.setup == .active && result.remote.fingerprint.algorithm == "sha-256")
    }

    @Test func marksSectionsTheClientDeclined() throws {
        let refusedVideo = SDPFixtures.chromeSubscribeAnswer.replacing("m=video 9 UDP/TLS/RTP/SAVPF 96 97", with: "m=video 0 UDP/TLS/RTP/SAVPF 96 97", maxReplacements: 1)
        let inactiveVideo = SDPFixtures.chromeSubscribeAnswer.replacing("a=mid:1\n", with: "a=mid:1\na=inactive\n")
        let otherCodec = SDPFixtures.chromeSubscribeAnswer.replacing("m=audio 9 UDP/TLS/RTP/SAVPF 111", with: "m=audio 9 UDP/TLS/RTP/SAVPF 0")
        for (text, declined) in [(refusedVideo, "1"), (inactiveVideo, "1"), (otherCodec, "0")] {
            let result = try SubscribeAnswer.check(answer: SessionDescription(parsing: text), for: offer(thirdActive: true))
            #expect(result.media.filter { !$0.accepted }.map(\.mid) == [declined])
        }
    }

    /// Answers the node refuses, and the start of the message it gives.
    static let refusals: [(change: @Sendable (String) -> String, message: String)] = [
        ({ $0.replacing("a=setup:active", with: "a=setup:passive") }, "The answer must say a=setup:active"),
        ({ $0.replacing("a=setup:active", with: "a=setup:actpass") }, "The answer must say a=setup:active"),
        ({ $0.replacing("a=fingerprint:sha-256", with: "a=fingerprint:sha-1") }, "The answer has no sha-256 DTLS fingerprint"),
        ({ $0.replacing("a=group:BUNDLE 0 1 2\n", with: "") }, "The answer does not BUNDLE every accepted media section"),
        ({ $0.replacing("a=group:BUNDLE 0 1 2", with: "a=group:BUNDLE 0 1") }, "The answer does not BUNDLE every accepted media section"),
        ({ $0.replacing("a=mid:1", with: "a=mid:7") }, "The answer's media sections are not in the offer's order"),
        ({ String($0[..<($0.firstRange(of: "m=video")?.lowerBound ?? $0.endIndex)]) }, "The answer has 1 media sections, the offer 3"),
    ]

    @Test(arguments: refusals) func refusesAnswersTheNodeCannotUse(change: @Sendable (String) -> String, message: String) {
        #expect {
            try SubscribeAnswer.check(answer: SessionDescription(parsing: change(SDPFixtures.chromeSubscribeAnswer)), for: offer(thirdActive: true))
        } throws: { error in
            guard case .unacceptable(let reason) = error as? SDPError else { return false }
            return reason.hasPrefix(message)
        }
    }
}
