/// Finds the packets lost on the way from a publisher to the SFU and says when to NACK them (RFC 4585
/// generic NACK), so the SFU can recover them before forwarding to its subscribers.
///
/// A gap in the sequence numbers marks the skipped ones missing. Each missing packet is NACKed at most
/// ``maximumAttempts`` times, ``retryInterval`` apart, and forgotten when it arrives, after its last
/// attempt, or ``giveUpAfter`` after it went missing. A jump of more than ``resetJump`` (a publisher
/// restart, or a loss too long to recover) starts over instead of NACKing everything in between.
struct LossDetector: Sendable {
    /// One packet waiting to arrive.
    private struct Missing: Sendable {
        let sequence: Int64
        let detectedAt: ContinuousClock.Instant
        var attempts = 0
        var lastNackAt: ContinuousClock.Instant?
    }

    static let maximumAttempts = 3
    static let retryInterval: Duration = .milliseconds(30)
    static let giveUpAfter: Duration = .seconds(1)
    /// The most packets tracked at once; the oldest ones go first.
    static let maximumTracked = 256
    static let resetJump: Int64 = 1000

    private var sequences = RolloverCounter<UInt16>()
    /// Ascending by sequence number.
    private var missing: [Missing] = []

    init() {}

    /// Records the arrival of packet `sequence` at `now`.
    mutating func received(sequence: UInt16, at now: ContinuousClock.Instant) {
        guard let highest = sequences.highest else {
            _ = sequences.record(sequence)
            return
        }
        let unwrapped = sequences.unwrap(sequence)
        let jump = unwrapped - highest
        guard abs(jump) <= Self.resetJump else {
            missing.removeAll()
            sequences = RolloverCounter()
            _ = sequences.record(sequence)
            return
        }
        guard jump > 0 else {
            // Late or duplicate: no longer missing.
            missing.removeAll { $0.sequence == unwrapped }
            return
        }
        _ = sequences.record(sequence)
        let firstLost = max(highest + 1, unwrapped - Int64(Self.maximumTracked))
        for lost in firstLost..<unwrapped { missing.append(Missing(sequence: lost, detectedAt: now)) }
        if missing.count > Self.maximumTracked { missing.removeFirst(missing.count - Self.maximumTracked) }
    }

    /// The sequence numbers to NACK now, ascending; each one returned counts as an attempt.
    mutating func due(at now: ContinuousClock.Instant) -> [UInt16] {
        missing.removeAll { now - $0.detectedAt >= Self.giveUpAfter }
        var nacks: [UInt16] = []
        for index in missing.indices {
            if let last = missing[index].lastNackAt, now - last < Self.retryInterval { continue }
            missing[index].attempts += 1
            missing[index].lastNackAt = now
            nacks.append(UInt16(truncatingIfNeeded: missing[index].sequence))
        }
        missing.removeAll { $0.attempts >= Self.maximumAttempts }
        return nacks
    }
}
