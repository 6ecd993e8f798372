import Synchronization

/// A token bucket per account: `ratePerSecond` requests on average, bursts up to `burst`.
/// State is per gateway process; a deployment of N gateways allows up to N times the rate.
public final class RateLimiter: Sendable {
    public struct Policy: Sendable, Equatable {
        public var ratePerSecond: Double
        public var burst: Double

        public init(ratePerSecond: Double, burst: Double) {
            self.ratePerSecond = ratePerSecond
            self.burst = max(burst, 1)
        }

        /// Generous defaults: 500 requests/s sustained, bursts of 1,000.
        public static let standard = Policy(ratePerSecond: 500, burst: 1000)
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    public let policy: Policy
    private let buckets = Mutex<[SID: Bucket]>([:])

    public init(policy: Policy) {
        self.policy = policy
    }

    /// Takes one token for `account`; returns `nil` when allowed, otherwise how many whole seconds
    /// to wait before a token will be there.
    public func acquire(for account: SID, now: ContinuousClock.Instant = .now) -> Int? {
        let policy = policy
        return buckets.withLock { buckets in
            var bucket = buckets[account] ?? Bucket(tokens: policy.burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(policy.burst, bucket.tokens + seconds * policy.ratePerSecond)
            bucket.updated = now
            defer {
                if buckets.count > 100_000 { buckets.removeAll(keepingCapacity: true) }
                buckets[account] = bucket
            }
            guard bucket.tokens >= 1 else {
                return max(1, Int(((1 - bucket.tokens) / policy.ratePerSecond).rounded(.up)))
            }
            bucket.tokens -= 1
            return nil
        }
    }
}
