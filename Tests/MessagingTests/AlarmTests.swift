import Testing

@testable import Messaging

struct AlarmTests {
    @Test func aRingEndsTheWaitEarly() async {
        let alarm = Alarm()
        let started = ContinuousClock.now
        async let waited: Void = alarm.wait(atMost: .seconds(10))
        try? await Task.sleep(for: .milliseconds(50))
        alarm.ring()
        await waited
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func aRingWhileNobodyWaitsIsKeptForTheNextWait() async {
        let alarm = Alarm()
        alarm.ring()
        let started = ContinuousClock.now
        await alarm.wait(atMost: .seconds(10))
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func withoutARingTheWaitLastsTheLimit() async {
        let alarm = Alarm()
        let started = ContinuousClock.now
        await alarm.wait(atMost: .milliseconds(200))
        #expect(ContinuousClock.now - started >= .milliseconds(200))
    }

    @Test func cancellingTheWaiterEndsTheWait() async {
        let alarm = Alarm()
        let started = ContinuousClock.now
        let waiter = Task { await alarm.wait(atMost: .seconds(30)) }
        try? await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await waiter.value
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
