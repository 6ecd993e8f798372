/// Rewrites the sequence numbers and timestamps of one down track (one subscriber's copy of one track) so
/// the subscriber sees a single continuous stream, whatever the source behind it: a simulcast layer switch
/// or a publisher reconnecting with a new SSRC only shows up as a new source SSRC here.
///
/// Within a source, the outgoing sequence number and timestamp are the source's plus a fixed offset, so
/// gaps (real losses) are reproduced as gaps and reordered packets keep their place. When the source
/// changes, the new source's first packet continues at the last sequence number + 1 and at the last
/// timestamp + the wall time elapsed since the last forwarded packet; packets of the new source that are
/// older than that first packet are dropped, since their slots in the outgoing stream are already taken.
/// The caller only changes source on a keyframe's first packet for video (any packet for audio).
struct StreamRewriter: Sendable {
    /// Where a packet goes in the outgoing stream.
    struct Position: Sendable, Equatable {
        var sequence: UInt16
        var timestamp: UInt32
    }

    /// The mapping of the source currently forwarded.
    private struct Source: Sendable {
        let ssrc: UInt32
        var sequences: RolloverCounter<UInt16>
        /// The unwrapped sequence number of the source's first forwarded packet.
        let firstSequence: Int64
        let sequenceOffset: UInt16
        let timestampOffset: UInt32
    }

    /// The RTP clock rate of the track (48 000 for Opus, 90 000 for video).
    let clockRate: UInt32
    private var source: Source?
    /// The outgoing sequence number of the newest packet forwarded (one before the first, initially).
    private var lastSequence: UInt16
    /// The outgoing timestamp of the newest packet forwarded (the first one's, initially).
    private var lastTimestamp: UInt32
    /// When the newest packet forwarded arrived; `nil` before the first.
    private var lastForwardedAt: ContinuousClock.Instant?

    /// Never jump the timestamp by more than this on a switch: a jump of half the 32-bit range or more
    /// would read as going backwards.
    private static let maximumTimestampJump: Int64 = 1 << 30

    /// - Parameters:
    ///   - firstSequence: the outgoing sequence number of the first packet (random, per RFC 3550).
    ///   - firstTimestamp: the outgoing timestamp of the first packet (random, per RFC 3550).
    init(clockRate: UInt32, firstSequence: UInt16, firstTimestamp: UInt32) {
        self.clockRate = clockRate
        self.lastSequence = firstSequence &- 1
        self.lastTimestamp = firstTimestamp
    }

    /// The outgoing position of a packet from source `ssrc` that arrived at `now`, or `nil` to drop it
    /// (it precedes the current source's first forwarded packet). A new `ssrc` starts a new source.
    mutating func rewrite(
        ssrc: UInt32, sequence: UInt16, timestamp: UInt32, at now: ContinuousClock.Instant
    ) -> Position? {
        if source?.ssrc != ssrc { switchSource(to: ssrc, sequence: sequence, timestamp: timestamp, at: now) }
        guard var current = source else { return nil }
        let previousHighest = current.sequences.highest ?? .min
        let unwrapped = current.sequences.record(sequence)
        source = current
        guard unwrapped >= current.firstSequence else { return nil }
        let position = Position(
            sequence: sequence &+ current.sequenceOffset, timestamp: timestamp &+ current.timestampOffset)
        if unwrapped > previousHighest {
            lastSequence = position.sequence
            lastTimestamp = position.timestamp
            lastForwardedAt = now
        }
        return position
    }

    /// The outgoing timestamp for a timestamp of source `ssrc` (to translate its RTCP sender reports), or
    /// `nil` when `ssrc` is not the source currently forwarded.
    func outgoingTimestamp(ssrc: UInt32, sourceTimestamp: UInt32) -> UInt32? {
        guard let source, source.ssrc == ssrc else { return nil }
        return sourceTimestamp &+ source.timestampOffset
    }

    /// Maps the new source's first packet right after the last packet forwarded.
    private mutating func switchSource(
        to ssrc: UInt32, sequence: UInt16, timestamp: UInt32, at now: ContinuousClock.Instant
    ) {
        let elapsedTicks = lastForwardedAt.map { Self.ticks(in: now - $0, clockRate: clockRate) } ?? 0
        source = Source(
            ssrc: ssrc,
            sequences: RolloverCounter(),
            firstSequence: Int64(sequence),
            sequenceOffset: (lastSequence &+ 1) &- sequence,
            timestampOffset: (lastTimestamp &+ elapsedTicks) &- timestamp)
    }

    /// `elapsed` in ticks of `clockRate`: at least 1 (two packets never share a timestamp across a
    /// switch) and at most ``maximumTimestampJump``.
    static func ticks(in elapsed: Duration, clockRate: UInt32) -> UInt32 {
        let (seconds, attoseconds) = elapsed.components
        guard clockRate > 0, seconds >= 0, attoseconds >= 0 else { return 1 }
        let rate = Int64(clockRate)
        // Capping the seconds first keeps the multiplication far from overflowing.
        let cappedSeconds = min(seconds, maximumTimestampJump / rate + 1)
        let nanoseconds = attoseconds / 1_000_000_000
        let ticks = cappedSeconds * rate + nanoseconds * rate / 1_000_000_000
        return UInt32(min(max(ticks, 1), maximumTimestampJump))
    }
}
