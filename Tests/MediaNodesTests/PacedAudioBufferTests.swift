import Testing

@testable import MediaNodes

@Suite struct PacedAudioBufferTests {
    private let silence = [Int16](repeating: 0, count: 160)

    /// `count` samples counting up from `start` (wrapping), so order and losses show.
    private func ramp(from start: Int, count: Int) -> [Int16] {
        (start..<start + count).map { Int16(truncatingIfNeeded: $0) }
    }

    @Test func playsSilenceUntil40MillisecondsAreQueued() {
        let buffer = PacedAudioBuffer(sampleRate: 8000)
        #expect(buffer.nextFrame() == silence)
        buffer.append(ramp(from: 1, count: 160))
        #expect(buffer.nextFrame() == silence)
        #expect(buffer.count == 160)
        buffer.append(ramp(from: 161, count: 160))
        #expect(buffer.nextFrame() == ramp(from: 1, count: 160))
        #expect(buffer.nextFrame() == ramp(from: 161, count: 160))
    }

    @Test func everyFrameIs20MillisecondsWhateverThePacketDurations() {
        let buffer = PacedAudioBuffer(sampleRate: 16000)
        var played: [Int16] = []
        var next = 1
        // Packets of 10, 20, 40 and 60 ms, with jitter: some ticks get two packets, some none.
        for (tick, packetMilliseconds) in [10, 20, 40, 0, 60, 20, 0, 20, 10, 10, 40, 0, 0, 20, 60, 0].enumerated() {
            let samples = packetMilliseconds * 16
            buffer.append(ramp(from: next, count: samples))
            next += samples
            let frame = buffer.nextFrame()
            #expect(frame.count == 320, "tick \(tick)")
            // Silence while prebuffering; audio from then on.
            if tick >= 2 { played += frame } else { #expect(frame == [Int16](repeating: 0, count: 320)) }
        }
        // Nothing was dropped or underran: what played is the ramp, in order, from the start.
        #expect(buffer.underruns == 0)
        #expect(buffer.droppedSamples == 0)
        #expect(played == ramp(from: 1, count: played.count))
        #expect(played.count + buffer.count == next - 1)
    }

    @Test func anUnderrunPlaysTheRestPaddedThenPrebuffersAgain() {
        let buffer = PacedAudioBuffer(sampleRate: 8000)
        buffer.append(ramp(from: 1, count: 400))
        _ = buffer.nextFrame()
        _ = buffer.nextFrame()
        #expect(buffer.nextFrame() == ramp(from: 321, count: 80) + [Int16](repeating: 0, count: 80))
        #expect(buffer.underruns == 1)
        buffer.append(ramp(from: 401, count: 160))
        #expect(buffer.nextFrame() == silence)
        buffer.append(ramp(from: 561, count: 160))
        #expect(buffer.nextFrame() == ramp(from: 401, count: 160))
        #expect(buffer.underruns == 1)
    }

    @Test func theDepthIsCappedByDroppingTheOldestSamples() {
        let buffer = PacedAudioBuffer(sampleRate: 8000)
        #expect(buffer.capacity == 1600)
        buffer.append(ramp(from: 1, count: 1500))
        buffer.append(ramp(from: 1501, count: 160))
        #expect(buffer.droppedSamples == 60)
        #expect(buffer.count == 1600)
        #expect(buffer.nextFrame() == ramp(from: 61, count: 160))
        // One append bigger than the whole buffer keeps its newest samples.
        buffer.append(ramp(from: 1661, count: 2000))
        #expect(buffer.droppedSamples == 60 + 1440 + 400)
        #expect(buffer.nextFrame() == ramp(from: 2061, count: 160))
    }

    @Test func aFastPublisherNeverPushesLatencyPastTheCap() {
        let buffer = PacedAudioBuffer(sampleRate: 8000)
        var next = 1
        // 21 ms of audio per 20 ms tick, for a minute.
        for _ in 0..<3000 {
            buffer.append(ramp(from: next, count: 168))
            next += 168
            let frame = buffer.nextFrame()
            #expect(buffer.count <= 1600)
            // Whatever was dropped, each frame is still contiguous audio.
            if frame[0] != 0 { #expect(frame == ramp(from: Int(frame[0]), count: 160)) }
        }
        #expect(buffer.droppedSamples > 0)
        // Every tick but the first (prebuffering) played a frame.
        #expect(buffer.droppedSamples + buffer.count + 160 * 2999 == next - 1)
    }
}
