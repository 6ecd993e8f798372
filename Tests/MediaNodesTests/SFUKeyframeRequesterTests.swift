import Testing

@testable import MediaNodes

@Suite struct SFUKeyframeRequesterTests {
    let start = ContinuousClock.now

    @Test func allowsOneRequestPerSourceEvery300Milliseconds() {
        var requester = KeyframeRequester()
        let answers = [
            requester.shouldRequest(ssrc: 1, at: start),
            requester.shouldRequest(ssrc: 1, at: start + .milliseconds(299)),
            requester.shouldRequest(ssrc: 2, at: start + .milliseconds(100)),
            requester.shouldRequest(ssrc: 1, at: start + .milliseconds(300)),
            requester.shouldRequest(ssrc: 1, at: start + .milliseconds(400)),
        ]
        #expect(answers == [true, false, true, true, false])
    }

    @Test func keepsThrottlingEachSourceWhenManyAreRequested() {
        var requester = KeyframeRequester()
        let first = (UInt32(0)..<100).map { requester.shouldRequest(ssrc: $0, at: start) }
        #expect(first.allSatisfy { $0 })
        let repeated = (UInt32(0)..<100).map { requester.shouldRequest(ssrc: $0, at: start + .milliseconds(10)) }
        #expect(!repeated.contains(true))
        let later = (UInt32(50)..<150).map { requester.shouldRequest(ssrc: $0, at: start + .seconds(1)) }
        #expect(later.allSatisfy { $0 })
        let repeatedLater = requester.shouldRequest(ssrc: 120, at: start + .milliseconds(1100))
        #expect(!repeatedLater)
    }
}
