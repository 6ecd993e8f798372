import Platform
import Testing

@testable import MediaNodes

/// The stream runtime's audio path without sockets: a bot track (which publishes like any UpTrack) plays
/// tones, a track tap decodes them, and a ``SourceMix`` paces and mixes what it hears.
@Suite struct StreamAudioPathTests {
    private let room = MediaRoom(sid: SID.generate(.room)) { _ in }

    private func speaker(_ room: MediaRoom) throws -> BotAudioTrack {
        let bot = try BotAudioTrack(track: SID.generate(.track), participant: SID.generate(.participant), room: room, sampleRate: 8000)
        room.add(bot.upTrack)
        return bot
    }

    /// Plays `frames` 20 ms frames of a tone on each bot, taking one mixed frame after each.
    private func run(_ bots: [(BotAudioTrack, Double)], into mix: SourceMix, frames: Int) -> [Int16] {
        var heard: [Int16] = []
        for tick in 0..<frames {
            for (bot, frequency) in bots {
                let tone = TestTone.sine(frequency: frequency, sampleRate: 8000, count: 160 * (tick + 1), amplitude: 12_000).suffix(160)
                bot.play(Array(tone), tick: UInt64(tick), at: .now)
            }
            heard += mix.nextFrame()
        }
        return heard
    }

    @Test func aTracksToneReachesTheMixDecodedAtTheStreamsRate() throws {
        let bot = try speaker(room)
        let mix = SourceMix(sampleRate: 8000) { $0.publisher == bot.upTrack.publisher }
        mix.reconcile(with: room)
        let heard = run([(bot, 440)], into: mix, frames: 50)
        #expect(heard.count == 50 * 160)
        let steady = heard.suffix(4000)
        #expect(TestTone.dominantFrequency(of: steady, among: [300, 440, 600, 880], sampleRate: 8000) == 440)
        #expect(TestTone.rms(of: steady) > 3000)
    }

    @Test func theMixHoldsEveryPickedTrackAndOnlyThose() throws {
        let low = try speaker(room), high = try speaker(room), other = try speaker(room)
        let picked: Set<SID> = [low.upTrack.publisher, high.upTrack.publisher]
        let mix = SourceMix(sampleRate: 8000) { picked.contains($0.publisher) }
        mix.reconcile(with: room)
        let steady = run([(low, 440), (high, 880), (other, 600)], into: mix, frames: 50).suffix(4000)
        let power = { TestTone.power(of: steady, at: $0, sampleRate: 8000) }
        #expect(power(440) > 100 * power(600))
        #expect(power(880) > 100 * power(600))
        #expect(other.upTrack.audioTap == nil, "a track nobody listens to is not decoded")
    }

    @Test func loudTracksSaturateInsteadOfWrappingAround() throws {
        let first = try speaker(room), second = try speaker(room)
        let mix = SourceMix(sampleRate: 8000) { _ in true }
        mix.reconcile(with: room)
        var heard: [Int16] = []
        for tick in 0..<30 {
            // The same near-full-scale tone twice: the peaks of the sum are past what 16 bits hold.
            let loud = Array(TestTone.sine(frequency: 300, sampleRate: 8000, count: 160 * (tick + 1), amplitude: 30_000).suffix(160))
            first.play(loud, tick: UInt64(tick), at: .now)
            second.play(loud, tick: UInt64(tick), at: .now)
            heard += mix.nextFrame()
        }
        let steady = heard.suffix(1600)
        #expect(steady.max() == .max && steady.min() == .min, "the sum clips at the rails")
        #expect(TestTone.dominantFrequency(of: steady, among: [150, 300, 600], sampleRate: 8000) == 300, "and does not wrap around")
    }

    @Test func anUnpublishedTrackIsLetGo() throws {
        let bot = try speaker(room)
        let mix = SourceMix(sampleRate: 16000) { _ in true }
        mix.reconcile(with: room)
        #expect(bot.upTrack.audioTap != nil)
        _ = room.removeTrack(bot.upTrack.sid)
        mix.reconcile(with: room)
        #expect(bot.upTrack.audioTap == nil)
        #expect(mix.nextFrame() == [Int16](repeating: 0, count: 320), "no source: 20 ms of silence")
    }
}
