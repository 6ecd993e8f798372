import Platform
import Testing

@Suite struct RateLimiterTests {
    let alice = SID.generate(.account)
    let bob = SID.generate(.account)

    @Test func burstIsAllowedThenDeniedWithRetryAfter() {
        let limiter = RateLimiter(policy: .init(ratePerSecond: 2, burst: 5))
        let now = ContinuousClock.now
        for request in 0..<5 {
            #expect(limiter.acquire(for: alice, now: now) == nil, "request \(request)")
        }
        let retryAfter = limiter.acquire(for: alice, now: now)
        #expect(retryAfter != nil)
        #expect((retryAfter ?? 0) >= 1)
        // Denied requests take nothing: still denied, with the same advice.
        #expect(limiter.acquire(for: alice, now: now) == retryAfter)
    }

    @Test func retryAfterCoversTheTimeToTheNextToken() {
        let now = ContinuousClock.now
        let slow = RateLimiter(policy: .init(ratePerSecond: 0.25, burst: 1))
        #expect(slow.acquire(for: alice, now: now) == nil)
        #expect(slow.acquire(for: alice, now: now) == 4)
        #expect(slow.acquire(for: alice, now: now + .seconds(1)) == 3)
        #expect(slow.acquire(for: alice, now: now + .milliseconds(3500)) == 1)
        #expect(slow.acquire(for: alice, now: now + .seconds(4)) == nil)

        let fast = RateLimiter(policy: .init(ratePerSecond: 1000, burst: 1))
        #expect(fast.acquire(for: alice, now: now) == nil)
        #expect(fast.acquire(for: alice, now: now) == 1)  // never less than a second
    }

    @Test func tokensRefillOverTimeUpToTheBurst() {
        let limiter = RateLimiter(policy: .init(ratePerSecond: 2, burst: 4))
        let start = ContinuousClock.now
        for _ in 0..<4 { #expect(limiter.acquire(for: alice, now: start) == nil) }
        #expect(limiter.acquire(for: alice, now: start) != nil)

        // Half a second brings one token (2/s).
        let later = start + .milliseconds(500)
        #expect(limiter.acquire(for: alice, now: later) == nil)
        #expect(limiter.acquire(for: alice, now: later) != nil)

        // A long pause refills to the burst, not beyond.
        let muchLater = later + .seconds(3600)
        for request in 0..<4 { #expect(limiter.acquire(for: alice, now: muchLater) == nil, "request \(request)") }
        #expect(limiter.acquire(for: alice, now: muchLater) != nil)
    }

    @Test func sustainedRateIsHonoured() {
        // 8 tokens/s, a request every 1/64 s for 10 s: each tick adds exactly 1/8 token, so every
        // 8th request gets through (binary fractions keep the arithmetic exact).
        let limiter = RateLimiter(policy: .init(ratePerSecond: 8, burst: 1))
        let start = ContinuousClock.now
        var allowed: [Int] = []
        for tick in 0..<640 where limiter.acquire(for: alice, now: start + .microseconds(tick * 15_625)) == nil {
            allowed.append(tick)
        }
        #expect(allowed == Array(stride(from: 0, to: 640, by: 8)))
    }

    @Test func accountsHaveSeparateBuckets() {
        let limiter = RateLimiter(policy: .init(ratePerSecond: 1, burst: 2))
        let now = ContinuousClock.now
        #expect(limiter.acquire(for: alice, now: now) == nil)
        #expect(limiter.acquire(for: alice, now: now) == nil)
        #expect(limiter.acquire(for: alice, now: now) != nil)
        #expect(limiter.acquire(for: bob, now: now) == nil)
        #expect(limiter.acquire(for: bob, now: now) == nil)
        #expect(limiter.acquire(for: bob, now: now) != nil)
        #expect(limiter.acquire(for: SID.generate(.account), now: now) == nil)
    }

    @Test func policyBurstIsAtLeastOne() {
        #expect(RateLimiter.Policy(ratePerSecond: 5, burst: 0).burst == 1)
        #expect(RateLimiter.Policy(ratePerSecond: 5, burst: -3).burst == 1)
        let limiter = RateLimiter(policy: .init(ratePerSecond: 1, burst: 0))
        let now = ContinuousClock.now
        #expect(limiter.acquire(for: alice, now: now) == nil)
        #expect(limiter.acquire(for: alice, now: now) == 1)
        #expect(RateLimiter.Policy.standard == .init(ratePerSecond: 500, burst: 1000))
    }

    @Test func concurrentCallersNeverGetMoreThanTheBurst() async {
        let limiter = RateLimiter(policy: .init(ratePerSecond: 0.001, burst: 50))
        let account = alice
        let now = ContinuousClock.now
        let allowed = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<25).reduce(0) { count, _ in count + (limiter.acquire(for: account, now: now) == nil ? 1 : 0) } }
            }
            return await group.reduce(0, +)
        }
        #expect(allowed == 50)
    }
}
