/// The FIFO between a track's decoded audio, which arrives with network jitter in packets of any
/// duration, and a consumer's 20 ms send clock, which takes exactly one frame per tick.
///
/// Playback starts once ``prebufferSampleCount`` samples are queued (silence until then), so ordinary
/// jitter never starves a tick; after an underrun it plays out what is left and prebuffers again. The depth
/// is capped at ``capacity``: when the publisher's clock runs faster than ours, the oldest samples are
/// dropped (and counted), so latency stays bounded. Storage is a fixed ring, so nothing is allocated per
/// frame.
///
/// Shared by the track's decoder, which appends, and the stream's clock, which takes frames: both on the
/// engine's loop.
final class PacedAudioBuffer {
    let sampleRate: Int
    /// Samples in one 20 ms frame.
    let frameSampleCount: Int
    let prebufferSampleCount: Int
    /// The most samples held.
    let capacity: Int

    private var ring: [Int16]
    private var readIndex = 0
    private(set) var count = 0
    private var playing = false
    /// Returned by ``nextFrame()`` and overwritten by the next call: reused when the caller let go of it.
    private var frame: [Int16]

    /// Samples dropped to keep the depth under ``capacity``.
    private(set) var droppedSamples = 0
    /// Times the queue ran dry while playing.
    private(set) var underruns = 0

    init(sampleRate: Int, prebufferMilliseconds: Int = 40, capacityMilliseconds: Int = 200) {
        self.sampleRate = sampleRate
        self.frameSampleCount = sampleRate / 50
        self.prebufferSampleCount = sampleRate * prebufferMilliseconds / 1000
        self.capacity = max(sampleRate * capacityMilliseconds / 1000, frameSampleCount)
        self.ring = [Int16](repeating: 0, count: capacity)
        self.frame = [Int16](repeating: 0, count: frameSampleCount)
    }

    /// Queues decoded samples, dropping the oldest ones beyond ``capacity``.
    func append(_ samples: [Int16]) {
        // Of an append bigger than the whole ring, only its newest samples can stay.
        let kept = min(samples.count, capacity)
        let overflow = count + kept - capacity
        if overflow > 0 { discard(overflow) }
        droppedSamples += samples.count - kept + max(overflow, 0)
        var writeIndex = (readIndex + count) % capacity
        let source = samples.count - kept
        ring.withUnsafeMutableBufferPointer { ring in
            samples.withUnsafeBufferPointer { samples in
                var copied = 0
                while copied < kept {
                    let run = min(kept - copied, capacity - writeIndex)
                    (ring.baseAddress! + writeIndex).update(from: samples.baseAddress! + source + copied, count: run)
                    copied += run
                    writeIndex = (writeIndex + run) % capacity
                }
            }
        }
        count += kept
    }

    /// The next 20 ms: queued audio once prebuffered, silence (zeros) before that. After an underrun the
    /// leftover samples are played padded with silence and prebuffering starts over.
    ///
    /// The array is this buffer's own and is overwritten by the next call; let go of it before then and no
    /// frame is ever allocated.
    func nextFrame() -> [Int16] {
        if !playing, count >= prebufferSampleCount, count > 0 { playing = true }
        let taken = playing ? min(count, frameSampleCount) : 0
        if playing, taken < frameSampleCount {
            underruns += 1
            playing = false
        }
        frame.withUnsafeMutableBufferPointer { frame in
            ring.withUnsafeBufferPointer { ring in
                var copied = 0
                var index = readIndex
                while copied < taken {
                    let run = min(taken - copied, capacity - index)
                    (frame.baseAddress! + copied).update(from: ring.baseAddress! + index, count: run)
                    copied += run
                    index = (index + run) % capacity
                }
            }
            (frame.baseAddress! + taken).update(repeating: 0, count: frameSampleCount - taken)
        }
        discard(taken)
        return frame
    }

    private func discard(_ sampleCount: Int) {
        readIndex = (readIndex + sampleCount) % capacity
        count -= sampleCount
    }
}
