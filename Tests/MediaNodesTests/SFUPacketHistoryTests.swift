import Testing

@testable import MediaNodes

@Suite struct SFUPacketHistoryTests {
    let start = ContinuousClock.now

    private func packet(_ sequence: UInt16) -> [UInt8] { [0x80, 0x60, UInt8(sequence >> 8), UInt8(sequence & 0xFF)] }

    @Test func answersANackWithTheKnownPacketsInTheOrderAsked() {
        var history = PacketHistory(capacity: 512)
        for sequence in UInt16(0)..<600 { history.store(packet(sequence), sequence: sequence) }
        // 0 was evicted (the ring holds 88...599), 7000 was never sent.
        let resent = history.retransmissions(for: [0, 100, 599, 598, 7000], at: start)
        #expect(resent == [packet(100), packet(599), packet(598)])
    }

    @Test func resendsTheSameSequenceNumberAtMostOncePerInterval() {
        var history = PacketHistory()
        history.store(packet(5), sequence: 5)
        #expect(history.retransmissions(for: [5, 5], at: start) == [packet(5)])
        #expect(history.retransmissions(for: [5], at: start + .milliseconds(10)).isEmpty)
        #expect(history.retransmissions(for: [5], at: start + .milliseconds(25)) == [packet(5)])
    }

    @Test func findsPacketsAcrossTheWrap() {
        var history = PacketHistory()
        for sequence in [65_533, 65_534, 65_535, 0, 1, 2] as [UInt16] { history.store(packet(sequence), sequence: sequence) }
        #expect(history.retransmissions(for: [65_534, 1], at: start) == [packet(65_534), packet(1)])
    }

    @Test func neverAnswersWithAPacketLeftInASlotByAnOlderSequenceNumber() {
        var history = PacketHistory(capacity: 4)
        for sequence in [1, 2, 3, 4, 6] as [UInt16] { history.store(packet(sequence), sequence: sequence) }
        // 5 was lost before the history; its slot still holds 1.
        #expect(history.retransmissions(for: [5, 1], at: start).isEmpty)
        #expect(history.retransmissions(for: [3], at: start) == [packet(3)])
    }

    @Test func ignoresPacketsOlderThanTheWholeRing() {
        var history = PacketHistory(capacity: 4)
        for sequence in [10, 11, 12, 13, 14] as [UInt16] { history.store(packet(sequence), sequence: sequence) }
        history.store(packet(6), sequence: 6)
        #expect(history.retransmissions(for: [6, 10, 14], at: start) == [packet(14)])
    }

    @Test func answersNothingBeforeAnythingWasSent() {
        var history = PacketHistory(capacity: 0)
        #expect(history.retransmissions(for: [0, 1, 65_535], at: start).isEmpty)
    }
}
