import Platform
import Testing

@Suite struct CircuitBreakerTests {
    let start = ContinuousClock.now

    func opened(at now: ContinuousClock.Instant) -> CircuitBreaker {
        var breaker = CircuitBreaker()
        for _ in 0..<5 { breaker.recordFailure(now: now) }
        return breaker
    }

    @Test func staysClosedBelowTheThresholdAndSuccessResetsTheCount() {
        var breaker = CircuitBreaker()
        #expect(breaker.state == .closed(consecutiveFailures: 0))
        for failures in 1...4 {
            breaker.recordFailure(now: start)
            #expect(breaker.state == .closed(consecutiveFailures: failures))
            #expect(breaker.admit(now: start) == .allowed)
        }
        breaker.recordSuccess()
        #expect(breaker.state == .closed(consecutiveFailures: 0))
        for _ in 1...4 { breaker.recordFailure(now: start) }
        #expect(breaker.admit(now: start) == .allowed)
    }

    @Test func opensAfterConsecutiveFailuresAndRefusesUntilTheCoolDownEnds() {
        var breaker = opened(at: start)
        #expect(breaker.state == .open(until: start + .seconds(30), coolDown: .seconds(30)))
        #expect(breaker.admit(now: start) == .rejected(retryAfter: .seconds(30)))
        #expect(breaker.admit(now: start + .seconds(12)) == .rejected(retryAfter: .seconds(18)))
        #expect(breaker.state == .open(until: start + .seconds(30), coolDown: .seconds(30)))
    }

    @Test func halfOpenAdmitsOneProbeWhoseSuccessCloses() {
        var breaker = opened(at: start)
        let later = start + .seconds(30)
        #expect(breaker.admit(now: later) == .allowed)
        #expect(breaker.state == .halfOpen(probeStarted: later, coolDown: .seconds(30)))
        // Everyone else waits for the probe, at most until it times out (30 s by default).
        #expect(breaker.admit(now: later) == .rejected(retryAfter: .seconds(30)))
        #expect(breaker.admit(now: later + .seconds(10)) == .rejected(retryAfter: .seconds(20)))
        breaker.recordSuccess()
        #expect(breaker.state == .closed(consecutiveFailures: 0))
        #expect(breaker.admit(now: later + .seconds(11)) == .allowed)
    }

    @Test func failedProbesDoubleTheCoolDownUpToTheMaximum() {
        var breaker = opened(at: start)
        var now = start
        var coolDown = Duration.seconds(30)
        for expected in [60, 120, 240, 480, 600, 600] {
            now += coolDown
            #expect(breaker.admit(now: now) == .allowed)
            now += .seconds(2)
            breaker.recordFailure(now: now)
            coolDown = .seconds(expected)
            #expect(breaker.state == .open(until: now + coolDown, coolDown: coolDown))
            #expect(breaker.admit(now: now + coolDown - .seconds(1)) == .rejected(retryAfter: .seconds(1)))
        }
        // Once it recovers, the next outage starts again from the first cool-down.
        now += coolDown
        #expect(breaker.admit(now: now) == .allowed)
        breaker.recordSuccess()
        for _ in 0..<5 { breaker.recordFailure(now: now) }
        #expect(breaker.state == .open(until: now + .seconds(30), coolDown: .seconds(30)))
    }

    @Test func aProbeThatNeverReportsIsReplacedAfterItsTimeout() {
        var breaker = opened(at: start)
        let probe = start + .seconds(30)
        #expect(breaker.admit(now: probe) == .allowed)
        #expect(breaker.admit(now: probe + .seconds(29)) == .rejected(retryAfter: .seconds(1)))
        #expect(breaker.admit(now: probe + .seconds(30)) == .allowed)
        #expect(breaker.state == .halfOpen(probeStarted: probe + .seconds(30), coolDown: .seconds(30)))
    }

    @Test func lateOutcomesWhileOpen() {
        // Failures of requests admitted before the breaker opened do not extend the cool-down…
        var breaker = opened(at: start)
        breaker.recordFailure(now: start + .seconds(20))
        #expect(breaker.state == .open(until: start + .seconds(30), coolDown: .seconds(30)))
        // …but a late success shows the host is up.
        breaker.recordSuccess()
        #expect(breaker.state == .closed(consecutiveFailures: 0))
    }

    @Test func configurationIsHonoured() {
        let configuration = CircuitBreaker.Configuration(
            failureThreshold: 2, coolDown: .seconds(1), maximumCoolDown: .seconds(3), probeTimeout: .seconds(5))
        var breaker = CircuitBreaker(configuration: configuration)
        breaker.recordFailure(now: start)
        #expect(breaker.admit(now: start) == .allowed)
        breaker.recordFailure(now: start)
        #expect(breaker.state == .open(until: start + .seconds(1), coolDown: .seconds(1)))
        for (round, expected) in [2, 3, 3].enumerated() {
            let now = start + .seconds(100 * (round + 1))
            #expect(breaker.admit(now: now) == .allowed)
            breaker.recordFailure(now: now)
            #expect(breaker.state == .open(until: now + .seconds(expected), coolDown: .seconds(expected)))
        }
        #expect(CircuitBreaker.Configuration(failureThreshold: 0).failureThreshold == 1)
        #expect(CircuitBreaker.Configuration.standard.probeTimeout == .seconds(30))
    }
}

@Suite struct CircuitBreakersTests {
    let start = ContinuousClock.now
    let hooks = EgressTarget(scheme: "https", host: "hooks.example.com", port: 443)

    @Test func unknownEndpointsAreClosed() {
        let breakers = CircuitBreakers()
        #expect(breakers.admit(hooks, now: start) == .allowed)
        #expect(breakers.state(of: hooks) == .closed(consecutiveFailures: 0))
        breakers.recordSuccess(hooks)
        #expect(breakers.state(of: hooks) == .closed(consecutiveFailures: 0))
    }

    @Test func endpointsAreKeyedBySchemeHostAndPort() {
        let breakers = CircuitBreakers()
        for _ in 0..<5 { breakers.recordFailure(hooks, now: start) }
        #expect(breakers.admit(hooks, now: start) == .rejected(retryAfter: .seconds(30)))
        for other in [
            EgressTarget(scheme: "http", host: "hooks.example.com", port: 443),
            EgressTarget(scheme: "https", host: "hooks.example.com", port: 8443),
            EgressTarget(scheme: "https", host: "api.example.com", port: 443),
        ] {
            #expect(breakers.admit(other, now: start) == .allowed)
        }
    }

    @Test func theFullCycleThroughTheRegistry() {
        let breakers = CircuitBreakers()
        for _ in 0..<5 { breakers.recordFailure(hooks, now: start) }
        let probe = start + .seconds(30)
        #expect(breakers.admit(hooks, now: probe) == .allowed)
        #expect(breakers.admit(hooks, now: probe) == .rejected(retryAfter: .seconds(30)))
        breakers.recordFailure(hooks, now: probe)
        #expect(breakers.state(of: hooks) == .open(until: probe + .seconds(60), coolDown: .seconds(60)))
        #expect(breakers.admit(hooks, now: probe + .seconds(60)) == .allowed)
        breakers.recordSuccess(hooks)
        #expect(breakers.state(of: hooks) == .closed(consecutiveFailures: 0))
    }

    @Test func whenFullIdleBreakersAreDroppedFirst() {
        let breakers = CircuitBreakers(configuration: .init(failureThreshold: 2), capacity: 2)
        let flaky = EgressTarget(scheme: "http", host: "flaky.example", port: 80)
        let dead = EgressTarget(scheme: "http", host: "dead.example", port: 80)
        let new = EgressTarget(scheme: "http", host: "new.example", port: 80)
        breakers.recordFailure(flaky, now: start)
        breakers.recordFailure(dead, now: start)
        breakers.recordFailure(dead, now: start)
        breakers.recordFailure(new, now: start)
        #expect(breakers.state(of: flaky) == .closed(consecutiveFailures: 0))
        #expect(breakers.state(of: dead) == .open(until: start + .seconds(30), coolDown: .seconds(30)))
        #expect(breakers.state(of: new) == .closed(consecutiveFailures: 1))
    }

    @Test func whenFullOfRefusingBreakersOneIsForgotten() {
        let breakers = CircuitBreakers(configuration: .init(failureThreshold: 1), capacity: 2)
        let endpoints = (1...3).map { EgressTarget(scheme: "http", host: "dead\($0).example", port: 80) }
        for endpoint in endpoints { breakers.recordFailure(endpoint, now: start) }
        let open = endpoints.filter { breakers.state(of: $0) != .closed(consecutiveFailures: 0) }
        #expect(open.count == 2)
        #expect(open.contains(endpoints[2]))
        // Open breakers whose cool-down is over refuse nothing, so they are the first to go.
        let later = start + .seconds(31)
        let fresh = EgressTarget(scheme: "http", host: "fresh.example", port: 80)
        breakers.recordFailure(fresh, now: later)
        #expect(breakers.state(of: fresh) == .open(until: later + .seconds(30), coolDown: .seconds(30)))
        #expect(open.allSatisfy { breakers.state(of: $0) == .closed(consecutiveFailures: 0) })
    }

    @Test func concurrentFailuresOpenTheBreakerOnce() async {
        let breakers = CircuitBreakers()
        let endpoint = hooks
        let now = start
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<25 { breakers.recordFailure(endpoint, now: now) } }
            }
        }
        #expect(breakers.state(of: endpoint) == .open(until: now + .seconds(30), coolDown: .seconds(30)))
    }
}
