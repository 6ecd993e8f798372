import Testing

@testable import MediaNodes

@Suite struct SFULossDetectorTests {
    let start = ContinuousClock.now

    private func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    @Test func nacksAGapThreeTimesAtRetryIntervalsUntilThePacketsArrive() {
        var detector = LossDetector()
        for sequence in [1, 2, 5] as [UInt16] { detector.received(sequence: sequence, at: at(0)) }
        #expect(detector.due(at: at(5)) == [3, 4])
        #expect(detector.due(at: at(20)).isEmpty)
        #expect(detector.due(at: at(35)) == [3, 4])
        detector.received(sequence: 4, at: at(40))
        #expect(detector.due(at: at(65)) == [3])
        #expect(detector.due(at: at(100)).isEmpty)
        detector.received(sequence: 6, at: at(100))
        #expect(detector.due(at: at(100)).isEmpty)
    }

    @Test func givesUpAfterOneSecond() {
        var detector = LossDetector()
        detector.received(sequence: 10, at: at(0))
        detector.received(sequence: 12, at: at(0))
        #expect(detector.due(at: at(999)) == [11])
        #expect(detector.due(at: at(1000)).isEmpty)
    }

    @Test func followsTheSequenceAcrossTheWrap() {
        var detector = LossDetector()
        detector.received(sequence: 65_534, at: at(0))
        detector.received(sequence: 1, at: at(0))
        #expect(detector.due(at: at(0)) == [65_535, 0])
        detector.received(sequence: 65_535, at: at(10))
        #expect(detector.due(at: at(40)) == [0])
    }

    @Test func startsOverOnAHugeJumpEitherWay() {
        var detector = LossDetector()
        detector.received(sequence: 1, at: at(0))
        detector.received(sequence: 5000, at: at(0))
        #expect(detector.due(at: at(0)).isEmpty)
        detector.received(sequence: 5002, at: at(0))
        detector.received(sequence: 10, at: at(0))
        #expect(detector.due(at: at(0)).isEmpty)
        detector.received(sequence: 12, at: at(0))
        #expect(detector.due(at: at(0)) == [11])
    }

    @Test func tracksOnlyTheMostRecentMissingPackets() {
        var detector = LossDetector()
        detector.received(sequence: 1, at: at(0))
        detector.received(sequence: 900, at: at(0))
        let nacks = detector.due(at: at(0))
        #expect(nacks.count == 256)
        #expect(nacks.first == 644)
        #expect(nacks.last == 899)
    }

    @Test func ignoresDuplicatesAndPacketsThatWereNeverMissing() {
        var detector = LossDetector()
        for sequence in [7, 8, 8, 7, 9] as [UInt16] { detector.received(sequence: sequence, at: at(0)) }
        #expect(detector.due(at: at(0)).isEmpty)
    }
}
