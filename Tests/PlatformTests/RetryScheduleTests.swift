import Platform
import Testing

/// SplitMix64: a tiny seeded generator, so jittered delays are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RetryScheduleTests {
    let schedule = RetrySchedule.standard

    @Test func standardStepsSpanAboutThreeDays() {
        #expect(schedule.steps.count == 11)
        #expect(schedule.steps.first == .seconds(5))
        #expect(schedule.steps.last == .seconds(86_400))
        #expect(schedule.steps.reduce(.zero, +) == .seconds(254_555))  // 70.7 h
        #expect(schedule.maximumRetryAfter == .seconds(3600))
    }

    @Test func everyDelayLiesWithinItsStepAndTheLastAttemptGivesUp() {
        for seed in UInt64(0)..<200 {
            var generator = SeededGenerator(state: seed)
            for attempt in 1...11 {
                let delay = schedule.nextDelay(afterAttempt: attempt, using: &generator)
                #expect(delay.map { (.zero...schedule.steps[attempt - 1]).contains($0) } == true, "seed \(seed) attempt \(attempt)")
            }
            #expect(schedule.nextDelay(afterAttempt: 12, using: &generator) == nil)
            #expect(schedule.nextDelay(afterAttempt: 100, using: &generator) == nil)
            // A nonsensical attempt number counts as the first.
            #expect(schedule.nextDelay(afterAttempt: 0, using: &generator).map { $0 <= .seconds(5) } == true)
        }
    }

    @Test func sameSeedSameDelays() {
        func delays(seed: UInt64) -> [Duration?] {
            var generator = SeededGenerator(state: seed)
            return (1...12).map { schedule.nextDelay(afterAttempt: $0, using: &generator) }
        }
        #expect(delays(seed: 42) == delays(seed: 42))
        #expect(delays(seed: 42) != delays(seed: 43))
    }

    /// Full jitter: the whole range from zero to the step is used, evenly.
    @Test func jitterSpreadsOverTheWholeStep() {
        var generator = SeededGenerator(state: 7)
        let delays = (0..<2000).map { _ in schedule.nextDelay(afterAttempt: 1, using: &generator)! }
        #expect(delays.min()! < .milliseconds(100))
        #expect(delays.max()! > .milliseconds(4900))
        let mean = delays.reduce(.zero, +) / delays.count
        #expect(mean > .milliseconds(2300) && mean < .milliseconds(2700), "\(mean)")
        #expect(Set(delays).count > 1500)
    }

    @Test func retryAfterIsAFloorWithALittleSpread() {
        for seed in UInt64(0)..<100 {
            var generator = SeededGenerator(state: seed)
            // Early on the floor governs: 120 s plus up to 12 s.
            let delay = schedule.nextDelay(afterAttempt: 1, retryAfter: .seconds(120), using: &generator)!
            #expect(delay >= .seconds(120) && delay <= .seconds(132), "\(delay)")
        }
        var generator = SeededGenerator(state: 1)
        let spread = Set((0..<50).map { _ in schedule.nextDelay(afterAttempt: 1, retryAfter: .seconds(120), using: &generator)! })
        #expect(spread.count > 40)
    }

    @Test func retryAfterIsCappedAtAnHour() {
        var generator = SeededGenerator(state: 3)
        for retryAfter in [Duration.seconds(7200), .seconds(86_400 * 30), .seconds(Int64.max)] {
            let delay = schedule.nextDelay(afterAttempt: 2, retryAfter: retryAfter, using: &generator)!
            #expect(delay >= .seconds(3600) && delay <= .seconds(3960), "\(delay)")
        }
    }

    @Test func retryAfterNeverShortensTheBackoff() {
        for seed in UInt64(0)..<50 {
            var plain = SeededGenerator(state: seed)
            var told = SeededGenerator(state: seed)
            let backoff = schedule.nextDelay(afterAttempt: 9, using: &plain)
            #expect(schedule.nextDelay(afterAttempt: 9, retryAfter: .zero, using: &told) == backoff)
            var negative = SeededGenerator(state: seed)
            #expect(schedule.nextDelay(afterAttempt: 9, retryAfter: .seconds(-30), using: &negative) == backoff)
        }
    }

    @Test func retryAfterGrantsNoExtraAttempts() {
        var generator = SeededGenerator(state: 9)
        #expect(schedule.nextDelay(afterAttempt: 12, retryAfter: .seconds(10), using: &generator) == nil)
    }

    @Test func customSchedulesAndTheSystemGenerator() {
        let short = RetrySchedule(steps: [.milliseconds(10), .zero], maximumRetryAfter: .seconds(1))
        #expect(short.nextDelay(afterAttempt: 1).map { $0 <= .milliseconds(10) } == true)
        #expect(short.nextDelay(afterAttempt: 2) == .zero)
        #expect(short.nextDelay(afterAttempt: 3) == nil)
        let capped = short.nextDelay(afterAttempt: 2, retryAfter: .seconds(60))!
        #expect(capped >= .seconds(1) && capped <= .milliseconds(1100))
    }
}

@Suite struct RetryScheduleParsingTests {
    @Test func parsesStepsWithUnits() throws {
        #expect(try RetrySchedule.parse("5s,30s,2m,1h").steps == [.seconds(5), .seconds(30), .seconds(120), .seconds(3600)])
        #expect(try RetrySchedule.parse(" 1s , 2s ").steps == [.seconds(1), .seconds(2)])
    }

    @Test func refusesWhatItCannotRead() {
        for bad in ["", "5", "5x", "0s", "-1s", "1s,,2s", "1.5s", "8d", "200h"] {
            #expect(throws: RetryScheduleError.self, "\(bad)") { try RetrySchedule.parse(bad) }
        }
    }
}
