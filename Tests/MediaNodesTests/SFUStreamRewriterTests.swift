import Testing

@testable import MediaNodes

@Suite struct SFUStreamRewriterTests {
    let start = ContinuousClock.now

    private func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    private func position(_ sequence: UInt16, _ timestamp: UInt32) -> StreamRewriter.Position {
        StreamRewriter.Position(sequence: sequence, timestamp: timestamp)
    }

    @Test func offsetsTheSourceAndReproducesItsGapsAndReordering() {
        var rewriter = StreamRewriter(clockRate: 48_000, firstSequence: 1000, firstTimestamp: 50_000)
        #expect(rewriter.rewrite(ssrc: 7, sequence: 100, timestamp: 3000, at: at(0)) == position(1000, 50_000))
        #expect(rewriter.rewrite(ssrc: 7, sequence: 101, timestamp: 3960, at: at(20)) == position(1001, 50_960))
        // 102 is lost: the gap stays a gap; then 102 shows up late and takes its own place.
        #expect(rewriter.rewrite(ssrc: 7, sequence: 103, timestamp: 5880, at: at(60)) == position(1003, 52_880))
        #expect(rewriter.rewrite(ssrc: 7, sequence: 102, timestamp: 4920, at: at(65)) == position(1002, 51_920))
        // A packet from before the first one has no place in the outgoing stream.
        #expect(rewriter.rewrite(ssrc: 7, sequence: 99, timestamp: 2040, at: at(70)) == nil)
    }

    @Test func continuesAfterTheLastPacketWhenTheSourceChanges() {
        var rewriter = StreamRewriter(clockRate: 48_000, firstSequence: 1000, firstTimestamp: 50_000)
        _ = rewriter.rewrite(ssrc: 7, sequence: 100, timestamp: 3000, at: at(0))
        _ = rewriter.rewrite(ssrc: 7, sequence: 101, timestamp: 3960, at: at(20))
        // A new source 60 ms after the last packet: next sequence number, timestamp + 60 ms at 48 kHz.
        #expect(rewriter.rewrite(ssrc: 9, sequence: 5000, timestamp: 777, at: at(80)) == position(1002, 50_960 + 2880))
        #expect(rewriter.rewrite(ssrc: 9, sequence: 5001, timestamp: 1737, at: at(100)) == position(1003, 50_960 + 2880 + 960))
        // The new source's packets from before the switch are dropped.
        #expect(rewriter.rewrite(ssrc: 9, sequence: 4999, timestamp: 0, at: at(101)) == nil)
        // Switching back to the first source starts a fresh mapping, still continuous.
        #expect(rewriter.rewrite(ssrc: 7, sequence: 110, timestamp: 12_600, at: at(100)) == position(1004, 50_960 + 2880 + 960 + 1))
    }

    @Test func handlesWraparoundOfSequenceNumbersAndTimestamps() {
        var rewriter = StreamRewriter(clockRate: 90_000, firstSequence: 65_534, firstTimestamp: 0xFFFF_FF00)
        let incoming: [(UInt16, UInt32)] = [(65_535, 0xFFFF_FFF0), (0, 0xFFFF_FFF0), (1, 0x0000_0E00), (2, 0x0000_1C00)]
        let outgoing = incoming.enumerated().map { index, packet in
            rewriter.rewrite(ssrc: 1, sequence: packet.0, timestamp: packet.1, at: at(index * 33))
        }
        #expect(outgoing.map { $0?.sequence } == [65_534, 65_535, 0, 1])
        #expect(outgoing.map { $0?.timestamp } == [0xFFFF_FF00, 0xFFFF_FF00, 0x0000_0D10, 0x0000_1B10])
        // Past the wrap, a packet from before the source's first one is still recognised as old.
        #expect(rewriter.rewrite(ssrc: 1, sequence: 65_534, timestamp: 0xFFFF_FFE0, at: at(140)) == nil)
    }

    @Test func dropsPacketsBeforeASwitchEvenAfterTheSourceWraps() {
        var rewriter = StreamRewriter(clockRate: 90_000, firstSequence: 10, firstTimestamp: 0)
        #expect(rewriter.rewrite(ssrc: 2, sequence: 65_530, timestamp: 100, at: at(0))?.sequence == 10)
        #expect(rewriter.rewrite(ssrc: 2, sequence: 65_529, timestamp: 100, at: at(1)) == nil)
        #expect(rewriter.rewrite(ssrc: 2, sequence: 3, timestamp: 100, at: at(2))?.sequence == 19)
        #expect(rewriter.rewrite(ssrc: 2, sequence: 65_531, timestamp: 100, at: at(3))?.sequence == 11)
    }

    @Test func translatesSenderReportTimestampsOfTheCurrentSourceOnly() {
        var rewriter = StreamRewriter(clockRate: 48_000, firstSequence: 0, firstTimestamp: 1000)
        _ = rewriter.rewrite(ssrc: 7, sequence: 100, timestamp: 300, at: at(0))
        #expect(rewriter.outgoingTimestamp(ssrc: 7, sourceTimestamp: 1260) == 1960)
        #expect(rewriter.outgoingTimestamp(ssrc: 8, sourceTimestamp: 1260) == nil)
    }

    @Test func convertsElapsedTimeToAtLeastOneTickAndAtMostAQuarterOfTheRange() {
        #expect(StreamRewriter.ticks(in: .milliseconds(20), clockRate: 48_000) == 960)
        #expect(StreamRewriter.ticks(in: .microseconds(1_500_250), clockRate: 90_000) == 135_022)
        #expect(StreamRewriter.ticks(in: .zero, clockRate: 90_000) == 1)
        #expect(StreamRewriter.ticks(in: .milliseconds(-5), clockRate: 90_000) == 1)
        #expect(StreamRewriter.ticks(in: .seconds(1), clockRate: 0) == 1)
        #expect(StreamRewriter.ticks(in: .seconds(Int64.max / 2), clockRate: 90_000) == 1 << 30)
    }
}
