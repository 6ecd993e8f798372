/// What a bidirectional stream's consumer sent to be played into the room, played out one 20 ms frame per
/// tick: its audio (any length per message), its named marks, and `clear`.
///
/// A mark is echoed once the audio queued before it has finished playing. Audio taken at tick t plays from
/// t to t + 20 ms, so a mark is due at the first tick after the one that took its last sample (or, with no
/// audio before it, at the next tick). Positions are counted in samples since the stream began, so a mark is
/// just the position it was queued at.
///
/// Queued audio is bounded (``capacity``, 60 s by default) and so are pending marks: a consumer running that
/// far ahead of real time is refused, not buffered without end.
final class PlayoutQueue {
    /// Samples in one 20 ms frame.
    let frameSampleCount: Int
    /// The most samples queued.
    let capacity: Int
    /// The most marks pending.
    let markCapacity: Int

    /// Queued audio is `samples[head...]`; the consumed prefix is cut off now and then, not on every frame.
    private var samples: [Int16] = []
    private var head = 0
    /// Samples ever queued, and ever taken for playing (cleared ones count as taken).
    private var queuedTotal = 0
    private var playedTotal = 0
    /// Pending marks with the position they follow, oldest first.
    private var marks: [(name: String, position: Int)] = []
    /// Returned by ``nextFrame()`` and overwritten by the next call: reused when the caller let go of it.
    private var frame: [Int16]

    /// Samples refused because the queue was full.
    private(set) var refusedSamples = 0
    /// Marks refused because too many were pending.
    private(set) var refusedMarks = 0

    init(sampleRate: Int, capacitySeconds: Int = 60, markCapacity: Int = 1000) {
        self.frameSampleCount = sampleRate / 50
        self.capacity = sampleRate * capacitySeconds
        self.markCapacity = markCapacity
        self.frame = [Int16](repeating: 0, count: frameSampleCount)
    }

    /// Samples waiting to be played.
    var queuedSampleCount: Int { queuedTotal - playedTotal }

    /// Queues audio to play; false (and nothing queued) when it would take the queue over ``capacity``.
    @discardableResult
    func append(_ audio: [Int16]) -> Bool {
        guard queuedSampleCount + audio.count <= capacity else {
            refusedSamples += audio.count
            return false
        }
        samples.append(contentsOf: audio)
        queuedTotal += audio.count
        return true
    }

    /// Queues a mark after the audio queued so far; false when too many marks are pending.
    @discardableResult
    func mark(_ name: String) -> Bool {
        guard marks.count < markCapacity else {
            refusedMarks += 1
            return false
        }
        marks.append((name, queuedTotal))
        return true
    }

    /// Drops all queued audio; returns every pending mark, in order, to be echoed at once.
    func clear() -> [String] {
        samples.removeAll(keepingCapacity: true)
        head = 0
        playedTotal = queuedTotal
        defer { marks.removeAll() }
        return marks.map(\.name)
    }

    /// One 20 ms tick: the next frame of audio (its last part padded with silence; nil when nothing is
    /// queued) and the marks due now, in order.
    ///
    /// The frame is this queue's own and is overwritten by the next call; let go of it before then and no
    /// frame is ever allocated.
    func nextFrame() -> (frame: [Int16]?, marksDue: [String]) {
        // Marks first: their audio was taken by an earlier tick, so it has finished playing by now.
        let marksDue = takeMarks(upTo: playedTotal)
        let taken = min(queuedSampleCount, frameSampleCount)
        guard taken > 0 else { return (nil, marksDue) }
        frame.withUnsafeMutableBufferPointer { frame in
            samples.withUnsafeBufferPointer { samples in
                frame.baseAddress!.update(from: samples.baseAddress! + head, count: taken)
            }
            (frame.baseAddress! + taken).update(repeating: 0, count: frameSampleCount - taken)
        }
        head += taken
        playedTotal += taken
        compact()
        return (frame, marksDue)
    }

    private func takeMarks(upTo position: Int) -> [String] {
        guard let first = marks.first, first.position <= position else { return [] }
        let dueCount = marks.firstIndex { $0.position > position } ?? marks.count
        defer { marks.removeFirst(dueCount) }
        return marks[..<dueCount].map(\.name)
    }

    /// Cuts off the played prefix once it is at least half the storage, so moving the rest costs at most one
    /// move per played sample.
    private func compact() {
        if head == samples.count {
            // Storage grown by a long clip is given back; the usual second or so is kept for reuse.
            samples.removeAll(keepingCapacity: samples.capacity <= frameSampleCount * 50)
            head = 0
        } else if head >= samples.count / 2, head >= frameSampleCount * 50 {
            samples.removeFirst(head)
            head = 0
        }
    }
}
