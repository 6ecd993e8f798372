/// The last packets sent on a down track, by outgoing sequence number, so the SFU can answer the
/// subscriber's NACKs (RFC 4585 generic NACK) itself instead of asking the publisher.
///
/// A fixed ring: a packet's slot is its unwrapped sequence number modulo the capacity, so storing is
/// constant time and a newer packet evicts the one a full ring older. Entries are keyed by the unwrapped
/// sequence number, so a slot left over from an earlier wrap of the 16-bit counter is never mistaken for
/// the packet asked for.
struct PacketHistory: Sendable {
    /// One stored packet.
    private struct Entry: Sendable {
        let sequence: Int64
        let packet: [UInt8]
        var lastResentAt: ContinuousClock.Instant?
    }

    /// A NACK repeated sooner than this (the subscriber asking again before the first resend could arrive)
    /// is not answered again.
    static let resendInterval: Duration = .milliseconds(20)

    private var slots: [Entry?]
    private var sequences = RolloverCounter<UInt16>()

    /// - Parameter capacity: how many packets to keep, clamped to 1...32 768 (half the sequence space, so
    ///   "newer" and "older" stay unambiguous).
    init(capacity: Int = 512) {
        slots = Array(repeating: nil, count: min(max(capacity, 1), 1 << 15))
    }

    /// Keeps `packet` (exactly as sent) under its outgoing sequence number, evicting the oldest one in
    /// its slot. A packet older than the whole ring is not kept.
    mutating func store(_ packet: [UInt8], sequence: UInt16) {
        let unwrapped = sequences.record(sequence)
        guard isWithinRing(unwrapped) else { return }
        slots[slot(of: unwrapped)] = Entry(sequence: unwrapped, packet: packet, lastResentAt: nil)
    }

    /// The packets to resend for a NACK of `requested` sequence numbers, in the order asked: unknown and
    /// evicted ones (older than the last `capacity`) are skipped, and so is a packet already resent within
    /// ``resendInterval``.
    mutating func retransmissions(for requested: [UInt16], at now: ContinuousClock.Instant) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        for sequence in requested {
            let unwrapped = sequences.unwrap(sequence)
            guard isWithinRing(unwrapped) else { continue }
            let index = slot(of: unwrapped)
            guard var entry = slots[index], entry.sequence == unwrapped else { continue }
            if let lastResentAt = entry.lastResentAt, now - lastResentAt < Self.resendInterval { continue }
            entry.lastResentAt = now
            slots[index] = entry
            packets.append(entry.packet)
        }
        return packets
    }

    /// Whether `unwrapped` is one of the last `capacity` sequence numbers: an older packet may linger in
    /// a slot its successor never reached (lost before the history), but counts as evicted.
    private func isWithinRing(_ unwrapped: Int64) -> Bool {
        guard let highest = sequences.highest else { return false }
        return unwrapped > highest - Int64(slots.count)
    }

    /// The ring index of an unwrapped sequence number (which may be negative).
    private func slot(of unwrapped: Int64) -> Int {
        let count = Int64(slots.count)
        return Int(((unwrapped % count) + count) % count)
    }
}
