import Foundation

/// What happens to a delivery after one attempt. Pure: the dispatcher records it.
public enum DeliveryDecision: Sendable, Equatable {
    /// A 2xx arrived.
    case delivered
    /// Try again after the delay.
    case retry(after: Duration)
    /// Out of attempts, or nothing a retry could fix (an invalid URL); kept, replayable.
    case failed
    /// The receiver answered 410 Gone: the delivery fails and its subscription is disabled.
    case gone
    /// Not attempted (the endpoint's circuit is open): due again after the delay, no attempt spent.
    case postponed(after: Duration)

    /// Decides after an attempt that produced `result`.
    /// - Parameters:
    ///   - attemptInSchedule: attempts since the delivery was created or last replayed, this one included.
    ///   - hasSubscription: a 410 disables a subscription; a resource callback just stops.
    public static func after(
        _ result: OutboundResult, attemptInSchedule: Int, hasSubscription: Bool, schedule: RetrySchedule, now: Date = .now
    ) -> DeliveryDecision {
        if case .invalidURL? = result.failure { return .failed }
        var retryAfter: Duration?
        if let status = result.statusCode {
            if (200...299).contains(status) { return .delivered }
            if status == 410 { return hasSubscription ? .gone : .failed }
            if status == 429 || status == 503 {
                retryAfter = result.headers.first { $0.0.lowercased() == "retry-after" }.flatMap { RetryAfter.parse($0.1, now: now) }
            }
        }
        guard let delay = schedule.nextDelay(afterAttempt: attemptInSchedule, retryAfter: retryAfter) else { return .failed }
        return .retry(after: delay)
    }
}

/// How an attempt ended, for metrics and the circuit breaker.
public enum AttemptOutcome: String, Sendable, CaseIterable {
    case success
    /// A response, but not 2xx.
    case httpError = "http_error"
    case timeout
    case connectError = "connect_error"
    /// The egress guard refused the address, or the URL is invalid.
    case refused
    case circuitOpen = "circuit_open"
    case other

    public init(_ result: OutboundResult) {
        switch result.failure {
        case nil: self = result.statusCode.map { (200...299).contains($0) } == true ? .success : .httpError
        case .timeout?: self = .timeout
        case .connect?: self = .connectError
        case .refused?, .invalidURL?: self = .refused
        case .other?: self = .other
        }
    }

    /// Whether it says the endpoint is unwell (the breaker counts these): no answer, or a 5xx or 429.
    /// A 4xx is an answer from a working host.
    public static func endpointFailed(_ result: OutboundResult) -> Bool {
        switch result.failure {
        case .timeout?, .connect?, .other?: return true
        case .refused?, .invalidURL?: return false
        case nil: return result.statusCode.map { $0 >= 500 || $0 == 429 } ?? true
        }
    }
}
