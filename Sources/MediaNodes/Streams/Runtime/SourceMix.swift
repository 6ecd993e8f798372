import Platform

/// The audio one direction of a stream carries: every audio track of the room that `includes` picks (the
/// participant's own for `inbound`, everyone else's for `outbound`), each through its own paced buffer,
/// mixed into one 20 ms frame per tick. Tracks come and go; ``reconcile(with:)`` follows them.
final class SourceMix {
    private struct Source {
        var track: UpTrack
        var buffer: PacedAudioBuffer
    }

    private let sampleRate: Int
    private let includes: (UpTrack) -> Bool
    private var sources: [SID: Source] = [:]
    /// 20 ms of silence, made once: a mix with no sources costs nothing per tick.
    private let silence: [Int16]

    init(sampleRate: Int, includes: @escaping (UpTrack) -> Bool) {
        self.sampleRate = sampleRate
        self.includes = includes
        silence = [Int16](repeating: 0, count: sampleRate / 50)
    }

    /// Attaches to the room's wanted audio tracks not yet heard and lets go of those no longer there.
    func reconcile(with room: MediaRoom?) {
        var wanted: [SID: UpTrack] = [:]
        for track in room.map({ Array($0.tracks.values) }) ?? [] where track.kind == .audio && includes(track) { wanted[track.sid] = track }
        for (sid, source) in sources where wanted[sid] !== source.track {
            detach(source)
            sources[sid] = nil
        }
        for (sid, track) in wanted where sources[sid] == nil {
            let buffer = PacedAudioBuffer(sampleRate: sampleRate)
            let tap = track.audioTap ?? TrackAudioTap()
            guard (try? tap.attach(buffer, sampleRate: sampleRate)) != nil else { continue }
            track.audioTap = tap
            sources[sid] = Source(track: track, buffer: buffer)
        }
    }

    /// The next 20 ms: the sources' frames summed (saturating), silence when there are none.
    func nextFrame() -> [Int16] {
        var mixed: [Int16]?
        for source in sources.values {
            let frame = source.buffer.nextFrame()
            guard var sum = mixed else {
                mixed = frame
                continue
            }
            for index in sum.indices where index < frame.count {
                let (value, overflow) = sum[index].addingReportingOverflow(frame[index])
                sum[index] = overflow ? (frame[index] < 0 ? .min : .max) : value
            }
            mixed = sum
        }
        return mixed ?? silence
    }

    func detachAll() {
        for source in sources.values { detach(source) }
        sources = [:]
    }

    private func detach(_ source: Source) {
        guard let tap = source.track.audioTap else { return }
        tap.detach(source.buffer)
        if tap.isEmpty { source.track.audioTap = nil }
    }
}
