import Synchronization

/// Keeps deliveries away from an endpoint that keeps failing: a dead host is tried once per cool-down
/// instead of by every delivery queued for it.
///
/// ```
/// closed ──threshold consecutive failures──▶ open ──cool-down over: one request admitted──▶ half-open
///   ▲                                          ▲                                                │
///   │                                          └──── the probe fails: cool-down × 2 (≤ max) ────┤
///   └──────────────────── any success (the probe's, or a late one) ─────────────────────────────┘
/// ```
///
/// The caller decides what a failure is (no connection, a timeout, a 5xx; not a 4xx, which says the
/// host is up) and reports the outcome of every admitted request. Time is passed in, so tests need no
/// clock.
public struct CircuitBreaker: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// Consecutive failures that open the breaker.
        public var failureThreshold: Int
        /// The first cool-down; each failed probe doubles it, up to `maximumCoolDown`.
        public var coolDown: Duration
        public var maximumCoolDown: Duration
        /// How long a half-open probe may go unanswered before another caller may probe (its worker may
        /// have died without reporting).
        public var probeTimeout: Duration

        public init(
            failureThreshold: Int = 5, coolDown: Duration = .seconds(30), maximumCoolDown: Duration = .seconds(600),
            probeTimeout: Duration = EgressPolicy.defaultTotalTimeout * 2
        ) {
            self.failureThreshold = max(failureThreshold, 1)
            self.coolDown = coolDown
            self.maximumCoolDown = maximumCoolDown
            self.probeTimeout = probeTimeout
        }

        public static let standard = Configuration()
    }

    public enum State: Sendable, Equatable {
        /// Requests flow; `consecutiveFailures` is below the threshold.
        case closed(consecutiveFailures: Int)
        /// Everything is refused until `until`.
        case open(until: ContinuousClock.Instant, coolDown: Duration)
        /// One probe, admitted at `probeStarted`, decides; everything else is refused meanwhile.
        case halfOpen(probeStarted: ContinuousClock.Instant, coolDown: Duration)
    }

    public enum Admission: Sendable, Equatable {
        case allowed
        /// Not now; ask again after `retryAfter`.
        case rejected(retryAfter: Duration)
    }

    public let configuration: Configuration
    public private(set) var state: State = .closed(consecutiveFailures: 0)

    public init(configuration: Configuration = .standard) {
        self.configuration = configuration
    }

    /// Whether a request may go now. The first call after the cool-down is admitted as the probe.
    public mutating func admit(now: ContinuousClock.Instant) -> Admission {
        switch state {
        case .closed:
            return .allowed
        case .open(let until, let coolDown):
            guard now >= until else { return .rejected(retryAfter: until - now) }
            state = .halfOpen(probeStarted: now, coolDown: coolDown)
            return .allowed
        case .halfOpen(let probeStarted, let coolDown):
            let deadline = probeStarted + configuration.probeTimeout
            guard now >= deadline else { return .rejected(retryAfter: deadline - now) }
            state = .halfOpen(probeStarted: now, coolDown: coolDown)
            return .allowed
        }
    }

    /// The host answered: whatever the state, requests flow again.
    public mutating func recordSuccess() {
        state = .closed(consecutiveFailures: 0)
    }

    public mutating func recordFailure(now: ContinuousClock.Instant) {
        switch state {
        case .closed(let failures):
            if failures + 1 < configuration.failureThreshold {
                state = .closed(consecutiveFailures: failures + 1)
            } else {
                state = .open(until: now + configuration.coolDown, coolDown: configuration.coolDown)
            }
        case .open:
            // A request admitted before the breaker opened, failing late, says nothing new: the cool-down stands.
            break
        case .halfOpen(_, let coolDown):
            let longer = min(coolDown * 2, configuration.maximumCoolDown)
            state = .open(until: now + longer, coolDown: longer)
        }
    }

    /// Whether requests are being turned away at `now` (open and cooling down, or a probe out).
    func isRefusing(at now: ContinuousClock.Instant) -> Bool {
        switch state {
        case .closed: false
        case .open(let until, _): now < until
        case .halfOpen(let probeStarted, _): now < probeStarted + configuration.probeTimeout
        }
    }
}

/// Every endpoint's breaker, shared by a gateway's delivery workers and keyed by scheme, host and port.
///
/// Only endpoints with failures take memory (a success forgets the endpoint), and at most `capacity`
/// of them: when full, breakers that refuse nothing right now are dropped first, then arbitrary ones.
/// Forgetting a breaker at worst lets one more request reach a dead host.
public final class CircuitBreakers: Sendable {
    public let configuration: CircuitBreaker.Configuration
    public let capacity: Int
    private let breakers = Mutex<[EgressTarget: CircuitBreaker]>([:])

    public init(configuration: CircuitBreaker.Configuration = .standard, capacity: Int = 10_000) {
        self.configuration = configuration
        self.capacity = max(capacity, 1)
    }

    /// Whether a request to `endpoint` may go now; report its outcome with ``recordSuccess(_:)`` or
    /// ``recordFailure(_:now:)``.
    public func admit(_ endpoint: EgressTarget, now: ContinuousClock.Instant = .now) -> CircuitBreaker.Admission {
        breakers.withLock { breakers in
            guard var breaker = breakers[endpoint] else { return .allowed }
            let admission = breaker.admit(now: now)
            breakers[endpoint] = breaker
            return admission
        }
    }

    public func recordSuccess(_ endpoint: EgressTarget) {
        // Closed without failures is what an unknown endpoint is.
        _ = breakers.withLock { $0.removeValue(forKey: endpoint) }
    }

    public func recordFailure(_ endpoint: EgressTarget, now: ContinuousClock.Instant = .now) {
        let configuration = configuration
        let capacity = capacity
        breakers.withLock { breakers in
            if breakers[endpoint] == nil, breakers.count >= capacity {
                breakers = breakers.filter { $0.value.isRefusing(at: now) }
                if breakers.count >= capacity { breakers.remove(at: breakers.startIndex) }
            }
            var breaker = breakers[endpoint] ?? CircuitBreaker(configuration: configuration)
            breaker.recordFailure(now: now)
            breakers[endpoint] = breaker
        }
    }

    /// The breaker's state for `endpoint` (for metrics and tests).
    public func state(of endpoint: EgressTarget) -> CircuitBreaker.State {
        breakers.withLock { $0[endpoint]?.state } ?? .closed(consecutiveFailures: 0)
    }
}
