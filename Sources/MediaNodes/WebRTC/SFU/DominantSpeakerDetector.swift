/// Follows who is speaking in a room, from the audio levels publishers put in their packets (RFC 6464),
/// and names the dominant speaker: the one clearly loudest over the last second or so.
///
/// Each participant has a loudness score (0 = silence, 127 = 0 dBov), smoothed over about
/// ``window``; silence (level 127, a packet without voice, or no packets) pulls it towards 0. A
/// participant becomes a candidate once the score reaches ``speechThreshold`` (a cough does not), and the
/// loudest candidate takes over when it has beaten the dominant speaker by ``margin`` for ``sustain``, or
/// at once when the dominant speaker has not spoken for ``silenceTimeout`` (or there is none).
struct DominantSpeakerDetector: Sendable {
    /// What the detector knows of one participant.
    private struct Speaker: Sendable {
        var loudness: Double
        var lastPacketAt: ContinuousClock.Instant
        var lastSpeechAt: ContinuousClock.Instant?
    }

    /// A candidate beating the dominant speaker by the margin, and since when.
    private struct Challenger: Sendable {
        let participant: String
        let since: ContinuousClock.Instant
    }

    static let window: Duration = .seconds(1)
    static let margin = 8.0
    static let sustain: Duration = .milliseconds(500)
    static let silenceTimeout: Duration = .seconds(1)
    static let speechThreshold = 20.0
    /// How much a participant's first packet counts for: one typical Opus frame.
    private static let firstFrame: Duration = .milliseconds(20)

    private(set) var dominantSpeaker: String?
    private var speakers: [String: Speaker] = [:]
    private var challenger: Challenger?

    init() {}

    /// Takes the audio level of a packet from `participant` (`level` in -dBov, 0 loudest, 127 silence;
    /// `voice` the voice activity flag) that arrived at `now`, and returns the new dominant speaker when it
    /// changes.
    mutating func audioLevel(
        participant: String, level: UInt8, voice: Bool, at now: ContinuousClock.Instant
    ) -> String? {
        let sample = voice && level < 127 ? Double(127 - level) : 0
        var speaker = speakers[participant]
            ?? Speaker(loudness: 0, lastPacketAt: now - Self.firstFrame, lastSpeechAt: nil)
        // An exponential moving average over the window, weighted by the time this packet covers.
        let weight = min(1, max(0, Self.seconds(now - speaker.lastPacketAt) / Self.seconds(Self.window)))
        speaker.loudness += weight * (sample - speaker.loudness)
        speaker.lastPacketAt = max(speaker.lastPacketAt, now)
        if sample > 0 { speaker.lastSpeechAt = now }
        speakers[participant] = speaker
        return electSpeaker(at: now)
    }

    /// Forgets a participant who left; returns `true` when it was the dominant speaker, which is then
    /// `nil` until someone else speaks.
    @discardableResult
    mutating func forget(participant: String) -> Bool {
        speakers[participant] = nil
        if challenger?.participant == participant { challenger = nil }
        guard dominantSpeaker == participant else { return false }
        dominantSpeaker = nil
        return true
    }

    /// Applies the hysteresis rules; returns the new dominant speaker when it changes.
    private mutating func electSpeaker(at now: ContinuousClock.Instant) -> String? {
        guard let (candidate, candidateLoudness) = loudestCandidate(at: now) else {
            challenger = nil
            return nil
        }
        let current = dominantSpeaker.flatMap { speakers[$0] }
        let currentSilent = current?.lastSpeechAt.map { now - $0 >= Self.silenceTimeout } ?? true
        if currentSilent { return elect(candidate) }
        let currentLoudness = current.map { Self.loudness(of: $0, at: now) } ?? 0
        guard candidateLoudness > currentLoudness + Self.margin else {
            challenger = nil
            return nil
        }
        guard let challenger, challenger.participant == candidate else {
            self.challenger = Challenger(participant: candidate, since: now)
            return nil
        }
        return now - challenger.since >= Self.sustain ? elect(candidate) : nil
    }

    private mutating func elect(_ participant: String) -> String {
        dominantSpeaker = participant
        challenger = nil
        return participant
    }

    /// The loudest participant other than the dominant speaker whose score shows speech (ties go to the
    /// smaller id, so the outcome does not depend on dictionary order).
    private func loudestCandidate(at now: ContinuousClock.Instant) -> (String, Double)? {
        var best: (String, Double)?
        for (participant, speaker) in speakers where participant != dominantSpeaker {
            let loudness = Self.loudness(of: speaker, at: now)
            guard loudness >= Self.speechThreshold else { continue }
            if let (bestParticipant, bestLoudness) = best,
                loudness < bestLoudness || (loudness == bestLoudness && participant > bestParticipant)
            {
                continue
            }
            best = (participant, loudness)
        }
        return best
    }

    /// The score of `speaker` at `now`: fading out over one window once its packets stop.
    private static func loudness(of speaker: Speaker, at now: ContinuousClock.Instant) -> Double {
        let silentFor = max(0, seconds(now - speaker.lastPacketAt))
        return speaker.loudness * max(0, 1 - silentFor / seconds(window))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
