import Platform

/// One room's media on this node: the tracks being published and who is speaking. A track is found only
/// through its room, so media of one room never reaches another.
final class MediaRoom {
    let sid: SID
    private(set) var tracks: [SID: UpTrack] = [:]
    var members: Set<SID> = []
    private var speakers = DominantSpeakerDetector()
    private let emit: (MediaEvent) -> Void

    init(sid: SID, emit: @escaping (MediaEvent) -> Void) {
        self.sid = sid
        self.emit = emit
    }

    func add(_ track: UpTrack) {
        tracks[track.sid] = track
    }

    func removeTrack(_ sid: SID) -> UpTrack? {
        tracks.removeValue(forKey: sid)
    }

    /// Feeds an audio level (RFC 6464) of `participant`, announcing a new dominant speaker.
    func audioLevel(of participant: SID, level: UInt8, voice: Bool, at now: ContinuousClock.Instant) {
        guard let change = speakers.audioLevel(participant: participant.rawValue, level: level, voice: voice, at: now) else { return }
        emit(.dominantSpeaker(room: sid, participant: SID(change, prefix: .participant)))
    }

    /// `participant` left; announces that nobody is the dominant speaker if it was.
    func leave(_ participant: SID) {
        members.remove(participant)
        if speakers.forget(participant: participant.rawValue) { emit(.dominantSpeaker(room: sid, participant: nil)) }
    }
}
