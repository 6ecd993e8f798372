/// Unwraps a wrapping RTP counter (the 16-bit sequence number, the 32-bit timestamp) into a 64-bit value
/// that keeps counting across wraparound, so "older" and "newer" stay meaningful (RFC 3550 §A.1).
///
/// A value less than half the counter's range ahead of the highest one recorded is newer; anything else
/// is older. The first value recorded is taken as is.
struct RolloverCounter<Value: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    /// The highest unwrapped value recorded so far; `nil` before the first.
    private(set) var highest: Int64?

    init() {}

    /// The unwrapped form of `value`, relative to the highest value recorded, without recording it.
    func unwrap(_ value: Value) -> Int64 {
        guard let highest else { return Int64(value) }
        let highestBits = Value(truncatingIfNeeded: highest)
        let ahead = value &- highestBits
        if ahead <= Value.max / 2 { return highest + Int64(ahead) }
        return highest - Int64(highestBits &- value)
    }

    /// Unwraps `value` and raises ``highest`` when `value` is newer.
    mutating func record(_ value: Value) -> Int64 {
        let unwrapped = unwrap(value)
        if unwrapped > highest ?? .min { highest = unwrapped }
        return unwrapped
    }
}
