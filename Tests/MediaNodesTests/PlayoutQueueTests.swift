import Testing

@testable import MediaNodes

@Suite struct PlayoutQueueTests {
    /// `count` samples counting up from `start`, so order shows.
    private func ramp(from start: Int, count: Int) -> [Int16] {
        (start..<start + count).map { Int16(truncatingIfNeeded: $0) }
    }

    @Test func nothingQueuedPlaysNothing() {
        let queue = PlayoutQueue(sampleRate: 8000)
        let tick = queue.nextFrame()
        #expect(tick.frame == nil)
        #expect(tick.marksDue.isEmpty)
    }

    @Test func audioOfAnyLengthPlaysIn20MillisecondFramesTheLastPadded() {
        let queue = PlayoutQueue(sampleRate: 8000)
        queue.append(ramp(from: 1, count: 100))
        queue.append(ramp(from: 101, count: 300))
        #expect(queue.nextFrame().frame == ramp(from: 1, count: 160))
        #expect(queue.nextFrame().frame == ramp(from: 161, count: 160))
        #expect(queue.nextFrame().frame == ramp(from: 321, count: 80) + [Int16](repeating: 0, count: 80))
        #expect(queue.nextFrame().frame == nil)
    }

    @Test func aMarkIsDueTheTickAfterItsAudioWasTaken() {
        let queue = PlayoutQueue(sampleRate: 8000)
        queue.append(ramp(from: 1, count: 320))
        queue.mark("greeting")
        // Tick 0 and 1 take the audio; it has finished playing at tick 2.
        #expect(queue.nextFrame().marksDue.isEmpty)
        #expect(queue.nextFrame().marksDue.isEmpty)
        let tick = queue.nextFrame()
        #expect(tick.frame == nil)
        #expect(tick.marksDue == ["greeting"])
        #expect(queue.nextFrame().marksDue.isEmpty)
    }

    @Test func marksBetweenChunksComeDueOneByOne() {
        let queue = PlayoutQueue(sampleRate: 8000)
        queue.append(ramp(from: 1, count: 160))
        queue.mark("a")
        queue.append(ramp(from: 161, count: 100))
        queue.mark("b")
        queue.mark("c")
        var tick = queue.nextFrame()
        #expect(tick.frame == ramp(from: 1, count: 160))
        #expect(tick.marksDue.isEmpty)
        tick = queue.nextFrame()
        #expect(tick.frame == ramp(from: 161, count: 100) + [Int16](repeating: 0, count: 60))
        #expect(tick.marksDue == ["a"])
        tick = queue.nextFrame()
        #expect(tick.frame == nil)
        #expect(tick.marksDue == ["b", "c"])
    }

    @Test func aMarkWithNothingBeforeItIsDueAtTheNextTick() {
        let queue = PlayoutQueue(sampleRate: 8000)
        queue.mark("now")
        #expect(queue.nextFrame().marksDue == ["now"])
    }

    @Test func aMarkAfterAudioAlreadyTakenIsDueAtTheNextTick() {
        let queue = PlayoutQueue(sampleRate: 8000)
        queue.append(ramp(from: 1, count: 160))
        _ = queue.nextFrame()
        queue.mark("after")
        // Queued while its audio plays (from the last tick until this one).
        let tick = queue.nextFrame()
        #expect(tick.frame == nil)
        #expect(tick.marksDue == ["after"])
    }

    @Test func clearDropsTheAudioAndReturnsEveryPendingMark() {
        let queue = PlayoutQueue(sampleRate: 8000)
        queue.append(ramp(from: 1, count: 1000))
        queue.mark("a")
        queue.append(ramp(from: 1001, count: 1000))
        queue.mark("b")
        _ = queue.nextFrame()
        #expect(queue.clear() == ["a", "b"])
        #expect(queue.queuedSampleCount == 0)
        let tick = queue.nextFrame()
        #expect(tick.frame == nil)
        #expect(tick.marksDue.isEmpty)
        // Audio and marks after a clear play as usual.
        queue.append(ramp(from: 1, count: 160))
        queue.mark("c")
        #expect(queue.nextFrame().frame == ramp(from: 1, count: 160))
        #expect(queue.nextFrame().marksDue == ["c"])
    }

    @Test func audioBeyondTheCapacityIsRefused() {
        let queue = PlayoutQueue(sampleRate: 8000, capacitySeconds: 1)
        #expect(queue.append(ramp(from: 1, count: 8000)))
        #expect(!queue.append(ramp(from: 1, count: 1)))
        #expect(queue.refusedSamples == 1)
        _ = queue.nextFrame()
        #expect(queue.append(ramp(from: 8001, count: 160)))
        #expect(!queue.append(ramp(from: 1, count: 1)))
        #expect(queue.refusedSamples == 2)
        #expect(queue.queuedSampleCount == 8000)
    }

    @Test func marksBeyondTheirCapacityAreRefused() {
        let queue = PlayoutQueue(sampleRate: 8000, markCapacity: 2)
        #expect(queue.mark("a"))
        #expect(queue.mark("b"))
        #expect(!queue.mark("c"))
        #expect(queue.refusedMarks == 1)
        #expect(queue.nextFrame().marksDue == ["a", "b"])
        #expect(queue.mark("d"))
    }

    @Test func longAudioPlaysBackIntactAcrossCompactions() {
        let queue = PlayoutQueue(sampleRate: 8000)
        var queued = 0
        var played: [Int16] = []
        // Bursts of 1.3 s every second, so the queue grows and is compacted while playing, then drains.
        for tick in 0..<400 {
            if tick % 50 == 0, queued < 40000 {
                queue.append(ramp(from: queued + 1, count: 10400))
                queued += 10400
            }
            if let frame = queue.nextFrame().frame { played += frame }
        }
        #expect(played == ramp(from: 1, count: queued) + [Int16](repeating: 0, count: played.count - queued))
    }
}
