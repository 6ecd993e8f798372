import Testing

@testable import MediaNodes

@Suite struct SFURolloverCounterTests {
    @Test func keepsCountingAcrossTheWrapBothWays() {
        var sequences = RolloverCounter<UInt16>()
        let unwrapped = [65_534, 65_535, 0, 1, 65_535, 32_768].map { sequences.record($0) }
        #expect(unwrapped == [65_534, 65_535, 65_536, 65_537, 65_535, 98_304])
        #expect(sequences.highest == 98_304)
        // Half the range behind counts as older.
        #expect(sequences.unwrap(0) == 65_536)
    }

    @Test func unwrapsTimestampsBelowTheFirstValueToNegatives() {
        var timestamps = RolloverCounter<UInt32>()
        #expect(timestamps.record(10) == 10)
        #expect(timestamps.record(0xFFFF_FFF0) == -16)
        #expect(timestamps.record(0x8000_0009) == 0x8000_0009)
        #expect(timestamps.highest == 0x8000_0009)
    }
}
