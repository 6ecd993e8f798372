import Platform
import Testing

@testable import MediaNodes

@Suite struct SignalingMessageTests {
    private let track = "MT" + String(repeating: "ab", count: 16)

    @Test func subscribeTakesAnOptionalQuality() throws {
        let plain = try ClientMessage.parse(#"{"type":"subscribe","id":"1","track":"\#(track)"}"#).get()
        #expect(plain.request == .subscribe(track: SID(track, prefix: .track)!, quality: .high))
        let low = try ClientMessage.parse(#"{"type":"subscribe","track":"\#(track)","quality":"low"}"#).get()
        #expect(low.request == .subscribe(track: SID(track, prefix: .track)!, quality: .low))
        let bad = ClientMessage.parse(#"{"type":"subscribe","id":"7","track":"\#(track)","quality":"ultra"}"#)
        #expect(throws: SignalingError.self) { try bad.get() }
    }

    @Test func setQualityNeedsATrackAndAQuality() throws {
        let message = try ClientMessage.parse(#"{"type":"set-quality","track":"\#(track)","quality":"medium"}"#).get()
        #expect(message.request == .setQuality(track: SID(track, prefix: .track)!, quality: .medium))
        #expect(throws: SignalingError.self) { try ClientMessage.parse(#"{"type":"set-quality","quality":"low"}"#).get() }
    }

    @Test func subscriberAnswerNeedsItsRevisionAndSDP() throws {
        let message = try ClientMessage.parse(#"{"type":"subscriber-answer","revision":3,"sdp":"v=0\r\n"}"#).get()
        #expect(message.request == .subscriberAnswer(revision: 3, sdp: "v=0\r\n"))
        for text in [#"{"type":"subscriber-answer","sdp":"v=0"}"#, #"{"type":"subscriber-answer","revision":"3","sdp":"v=0"}"#,
                     #"{"type":"subscriber-answer","revision":3,"sdp":""}"#] {
            guard case .failure(let error) = ClientMessage.parse(text) else {
                Issue.record("accepted \(text)")
                continue
            }
            #expect(error.code == 53403)
        }
    }

    @Test func subscriberOfferListsItsSections() {
        let offer = SubscriberOffer(
            revision: 2, sdp: "v=0\r\n",
            sections: [.init(mid: "0", track: SID(track, prefix: .track)!, publisher: SID("PA" + String(repeating: "cd", count: 16), prefix: .participant)!, kind: .audio)])
        let text = ServerMessage.subscriberOffer(offer)
        #expect(text.contains(#""type":"subscriber-offer""#))
        #expect(text.contains(#""revision":2"#))
        #expect(text.contains(#""mid":"0","track":"\#(track)""#))
        #expect(ServerMessage.dominantSpeaker(nil) == #"{"type":"dominant-speaker","participant":null}"#)
    }
}
