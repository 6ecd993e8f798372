import Metrics

/// The dispatcher's metrics (the queued counter is the outbox's).
struct DeliveryMetrics: Sendable {
    let inFlight = Gauge(label: "parley_deliveries_in_flight")
    let oldestPending = Gauge(label: "parley_deliveries_oldest_pending_seconds")
    let delivered = Counter(label: "parley_deliveries_delivered_total")
    let retried = Counter(label: "parley_deliveries_retried_total")
    let failed = Counter(label: "parley_deliveries_failed_total")
    /// From enqueue to the start of the first attempt.
    let firstAttemptDelay = Timer(label: "parley_delivery_first_attempt_delay_seconds")
    private let attemptDurations: [AttemptOutcome: Timer] = Dictionary(uniqueKeysWithValues: AttemptOutcome.allCases.map {
        ($0, Timer(label: "parley_delivery_attempt_duration_seconds", dimensions: [("outcome", $0.rawValue)]))
    })

    func count(_ outcome: AttemptOutcome, latency: Duration) {
        attemptDurations[outcome]?.recordSeconds(latency.seconds)
    }

    func count(_ decision: DeliveryDecision) {
        switch decision {
        case .delivered: delivered.increment()
        case .retry: retried.increment()
        case .failed, .gone: failed.increment()
        case .postponed: break
        }
    }
}

extension Timer {
    func recordSeconds(_ seconds: Double) {
        recordNanoseconds(Int64(max(seconds, 0) * 1_000_000_000))
    }
}
