import Testing

@testable import MediaNodes

@Suite struct SFUDominantSpeakerTests {
    let start = ContinuousClock.now

    /// What a participant sends in one 20 ms frame: an audio level (nil: no packet) and the voice flag.
    typealias Frame = (level: UInt8, voice: Bool)?

    static let silence: Frame = (127, false)

    /// Feeds 20 ms frames from `from` to `to` (milliseconds) for every participant in `script`, and
    /// returns each change of dominant speaker with the time it happened.
    private func run(
        _ detector: inout DominantSpeakerDetector, from: Int, to: Int,
        _ script: [String: (Int) -> Frame]
    ) -> [(milliseconds: Int, speaker: String)] {
        var changes: [(Int, String)] = []
        for milliseconds in stride(from: from, to: to, by: 20) {
            for participant in script.keys.sorted() {
                guard let frame = script[participant]?(milliseconds) else { continue }
                let now = start + .milliseconds(milliseconds)
                if let speaker = detector.audioLevel(participant: participant, level: frame.level, voice: frame.voice, at: now) {
                    changes.append((milliseconds, speaker))
                }
            }
        }
        return changes
    }

    /// A detector where "a" has been speaking for two seconds (dominant) and "b" silent.
    private func aSpeaking() -> DominantSpeakerDetector {
        var detector = DominantSpeakerDetector()
        _ = run(&detector, from: 0, to: 2000, ["a": { _ in (30, true) }, "b": { _ in Self.silence }])
        return detector
    }

    @Test func namesTheFirstSustainedSpeakerOnce() {
        var detector = DominantSpeakerDetector()
        let changes = run(&detector, from: 0, to: 2000, ["a": { _ in (30, true) }, "b": { _ in Self.silence }])
        #expect(changes.map(\.speaker) == ["a"])
        // Not on the first word: only once the smoothed loudness shows speech.
        #expect((200...400).contains(changes.first?.milliseconds ?? 0))
        #expect(detector.dominantSpeaker == "a")
    }

    @Test func aBriefCoughDoesNotTakeOver() {
        var detector = aSpeaking()
        let changes = run(&detector, from: 2000, to: 5000, [
            "a": { _ in (30, true) },
            "b": { milliseconds in milliseconds < 2200 ? (0, true) : Self.silence },
        ])
        #expect(changes.isEmpty)
        #expect(detector.dominantSpeaker == "a")
    }

    @Test func sustainedLouderSpeechTakesOverAfterTheHysteresis() {
        var detector = aSpeaking()
        let changes = run(&detector, from: 2000, to: 6000, [
            "a": { _ in (70, true) },  // a carries on, quieter
            "b": { _ in (10, true) },
        ])
        #expect(changes.map(\.speaker) == ["b"])
        #expect((3300...4000).contains(changes.first?.milliseconds ?? 0))
    }

    @Test func anEquallyLoudSpeakerDoesNotTakeOverWhileTheDominantOneSpeaks() {
        var detector = aSpeaking()
        let changes = run(&detector, from: 2000, to: 6000, ["a": { _ in (30, true) }, "b": { _ in (28, true) }])
        #expect(changes.isEmpty)
    }

    @Test func takesOverOnceTheDominantSpeakerHasBeenSilentForASecond() {
        var detector = aSpeaking()
        // a stops sending altogether (muted); b starts talking quietly at the same time.
        let changes = run(&detector, from: 2000, to: 4000, ["b": { _ in (80, true) }])
        #expect(changes.map(\.speaker) == ["b"])
        #expect((2980...3100).contains(changes.first?.milliseconds ?? 0))
    }

    @Test func silenceIsNotSpeech() {
        var detector = DominantSpeakerDetector()
        let changes = run(&detector, from: 0, to: 3000, [
            "a": { _ in (127, true) },
            "b": { _ in (10, false) },
            "c": { _ in (200, true) },
        ])
        #expect(changes.isEmpty)
        #expect(detector.dominantSpeaker == nil)
    }

    @Test func reportsWhenTheDominantSpeakerLeaves() {
        var detector = aSpeaking()
        let leavingSilent = detector.forget(participant: "b")
        #expect(!leavingSilent)
        #expect(detector.dominantSpeaker == "a")
        let leavingDominant = detector.forget(participant: "a")
        #expect(leavingDominant)
        #expect(detector.dominantSpeaker == nil)
        let leavingTwice = detector.forget(participant: "a")
        #expect(!leavingTwice)
    }
}
