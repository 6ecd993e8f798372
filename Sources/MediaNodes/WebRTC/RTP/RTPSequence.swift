/// Arithmetic on 16-bit RTP sequence numbers, which wrap around (RFC 3550 §A.1).
enum RTPSequence {
    /// Whether `a` comes after `b`, allowing for wraparound: true when `a` is less than half the
    /// number space ahead. Exactly half way is broken by value, so that of two distinct numbers
    /// exactly one is newer.
    static func isNewer(_ a: UInt16, than b: UInt16) -> Bool {
        let distance = a &- b
        if distance == 0x8000 { return a > b }
        return distance != 0 && distance < 0x8000
    }
}

/// Turns 16-bit sequence numbers into a 64-bit count that keeps growing across rollovers, for loss
/// statistics and NACK bookkeeping. Each number is placed nearest the previous one, so late packets
/// unwrap below it (even below zero at the very start) and numbers more than half the space apart
/// are taken as the other direction.
struct RTPSequenceUnwrapper: Sendable {
    private var last: Int64?

    init() {}

    /// The extended value of `sequenceNumber`, which becomes the reference for the next one.
    mutating func unwrap(_ sequenceNumber: UInt16) -> Int64 {
        guard let last else {
            self.last = Int64(sequenceNumber)
            return Int64(sequenceNumber)
        }
        let lastWrapped = UInt16(truncatingIfNeeded: last)
        let extended: Int64
        if RTPSequence.isNewer(sequenceNumber, than: lastWrapped) || sequenceNumber == lastWrapped {
            extended = last + Int64(sequenceNumber &- lastWrapped)
        } else {
            extended = last - Int64(lastWrapped &- sequenceNumber)
        }
        self.last = extended
        return extended
    }
}
