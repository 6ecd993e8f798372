import Testing

@testable import MediaNodes

@Suite struct SFUSimulcastSelectorTests {
    let start = ContinuousClock.now

    private func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    /// A selector already forwarding `rid`, every layer active at `at(0)`, no pending actions.
    private func forwarding(_ rid: String, preference: SimulcastPreference = .high) -> SimulcastSelector {
        var selector = SimulcastSelector(rids: ["q", "h", "f"], preference: preference)
        for layer in ["q", "h", "f"] { _ = selector.packetArrived(rid: layer, isKeyframeStart: false, at: at(0)) }
        _ = selector.packetArrived(rid: rid, isKeyframeStart: true, at: at(0))
        _ = selector.takeActions()
        return selector
    }

    @Test func startsOnTheFirstAcceptableKeyframeThenClimbsToThePreference() {
        var selector = SimulcastSelector(rids: ["q", "h", "f"])
        #expect(selector.packetArrived(rid: "q", isKeyframeStart: false, at: at(0)) == .drop)
        #expect(selector.packetArrived(rid: "q", isKeyframeStart: true, at: at(1)) == .forward(switched: true))
        #expect(selector.packetArrived(rid: "f", isKeyframeStart: false, at: at(2)) == .drop)
        #expect(selector.packetArrived(rid: "q", isKeyframeStart: false, at: at(3)) == .forward(switched: false))
        // A keyframe to start with, then one on the preferred layer.
        #expect(selector.takeActions() == [.requestKeyframe(rid: "q"), .requestKeyframe(rid: "f")])
        #expect(selector.packetArrived(rid: "f", isKeyframeStart: true, at: at(4)) == .forward(switched: true))
        #expect(selector.currentRid == "f")
        #expect(selector.packetArrived(rid: "q", isKeyframeStart: true, at: at(5)) == .drop)
        #expect(selector.takeActions().isEmpty)
    }

    @Test func keepsTheCurrentLayerUntilTheTargetsKeyframeAndThrottlesRequests() {
        var selector = forwarding("q")
        var requestTimes: [Int] = []
        for tick in 1...55 {  // 1.1 s of packets on every layer, no keyframe
            for rid in ["q", "h", "f"] {
                let decision = selector.packetArrived(rid: rid, isKeyframeStart: false, at: at(tick * 20))
                #expect(decision == (rid == "q" ? .forward(switched: false) : .drop))
            }
            let actions = selector.takeActions()
            #expect(actions.allSatisfy { $0 == .requestKeyframe(rid: "f") })
            requestTimes += actions.map { _ in tick * 20 }
        }
        // The first request went out at 0 ms; then one every 500 ms.
        #expect(requestTimes == [500, 1000])
        #expect(selector.packetArrived(rid: "h", isKeyframeStart: true, at: at(1120)) == .drop)
        #expect(selector.packetArrived(rid: "f", isKeyframeStart: true, at: at(1120)) == .forward(switched: true))
        #expect(selector.packetArrived(rid: "q", isKeyframeStart: false, at: at(1140)) == .drop)
    }

    @Test func fallsBackWhenTheHighLayerStops() {
        var selector = forwarding("f")
        // f goes quiet; q and h keep coming.
        for tick in 1...55 {
            _ = selector.packetArrived(rid: "q", isKeyframeStart: false, at: at(tick * 20))
            _ = selector.packetArrived(rid: "h", isKeyframeStart: false, at: at(tick * 20))
        }
        #expect(selector.takeActions() == [.requestKeyframe(rid: "h")])
        #expect(selector.currentRid == "f")
        #expect(selector.packetArrived(rid: "h", isKeyframeStart: true, at: at(1120)) == .forward(switched: true))
        #expect(selector.currentRid == "h")
        // f comes back: it is the target again, so a keyframe is requested and taken.
        #expect(selector.packetArrived(rid: "f", isKeyframeStart: false, at: at(1140)) == .drop)
        #expect(selector.takeActions() == [.requestKeyframe(rid: "f")])
        #expect(selector.packetArrived(rid: "f", isKeyframeStart: true, at: at(1160)) == .forward(switched: true))
    }

    @Test func takesAnyAllowedKeyframeWhenTheCurrentLayerIsGone() {
        var selector = forwarding("f")
        // Only q and h come through; q's keyframe arrives first.
        _ = selector.packetArrived(rid: "h", isKeyframeStart: false, at: at(1100))
        #expect(selector.packetArrived(rid: "q", isKeyframeStart: true, at: at(1100)) == .forward(switched: true))
        #expect(selector.currentRid == "q")
        #expect(selector.packetArrived(rid: "h", isKeyframeStart: true, at: at(1120)) == .forward(switched: true))
    }

    @Test func followsAPreferenceChangeAtTheNextKeyframe() {
        var selector = forwarding("f")
        selector.setPreference(.medium)
        for rid in ["q", "h"] { _ = selector.packetArrived(rid: rid, isKeyframeStart: false, at: at(600)) }
        #expect(selector.packetArrived(rid: "f", isKeyframeStart: false, at: at(600)) == .forward(switched: false))
        #expect(selector.packetArrived(rid: "q", isKeyframeStart: true, at: at(600)) == .drop)
        #expect(selector.takeActions() == [.requestKeyframe(rid: "h")])
        #expect(selector.packetArrived(rid: "h", isKeyframeStart: true, at: at(620)) == .forward(switched: true))
        #expect(selector.packetArrived(rid: "f", isKeyframeStart: true, at: at(620)) == .drop)
        #expect(selector.preference == .medium)
    }

    @Test func fallsBackToTheLowestActiveLayerAboveThePreference() {
        var selector = SimulcastSelector(rids: ["q", "h", "f"], preference: .low)
        // Only f is sent: it is taken, then the lowest layers as they come.
        #expect(selector.packetArrived(rid: "f", isKeyframeStart: true, at: at(0)) == .forward(switched: true))
        #expect(selector.packetArrived(rid: "h", isKeyframeStart: true, at: at(0)) == .forward(switched: true))
        #expect(selector.packetArrived(rid: "q", isKeyframeStart: true, at: at(10)) == .forward(switched: true))
    }

    @Test func mapsMediumOntoTheLowerMiddleAndDropsUnknownLayers() {
        var twoLayers = SimulcastSelector(rids: ["lo", "hi"], preference: .medium)
        _ = twoLayers.packetArrived(rid: "hi", isKeyframeStart: false, at: at(0))
        #expect(twoLayers.packetArrived(rid: "lo", isKeyframeStart: true, at: at(0)) == .forward(switched: true))
        #expect(twoLayers.packetArrived(rid: "hi", isKeyframeStart: true, at: at(1)) == .drop)
        #expect(twoLayers.packetArrived(rid: "x", isKeyframeStart: true, at: at(2)) == .drop)
        var noLayers = SimulcastSelector(rids: [])
        #expect(noLayers.packetArrived(rid: "q", isKeyframeStart: true, at: at(0)) == .drop)
        #expect(noLayers.currentRid == nil)
    }
}
