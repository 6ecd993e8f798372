import Foundation

/// One finished attempt (or postponement), waiting to be written.
struct DeliveryCompletion: Sendable {
    var deliverySid: String
    var accountSid: String
    /// The attempt number the claim gave; the write applies only if the row still has it (a worker
    /// whose lease ran out and was overtaken changes nothing).
    var attempt: Int
    var decision: DeliveryDecision
    /// `nil` when nothing was sent (postponed by the circuit breaker).
    var record: AttemptRecord?
    /// Set with `.gone`: the subscription to disable.
    var subscriptionSid: String?
    /// Why nothing was sent, when that ends the delivery (its `last_error`).
    var note: String? = nil
    /// Set when this finishes an ordered delivery: the next one of its key becomes claimable.
    var releasesSuccessor = false

    struct AttemptRecord: Sendable {
        var startedAt: Date
        /// Without the connection-override fragment.
        var url: String
        var responseCode: Int?
        var latency: Duration
        /// The first 1 KB of the response body.
        var excerpt: [UInt8]
        var error: String?
    }

    /// How much of a response body is kept with the attempt.
    static let excerptLimit = 1024

    var status: String {
        switch decision {
        case .delivered: "delivered"
        case .retry, .postponed: "pending"
        case .failed, .gone: "failed"
        }
    }

    /// Seconds until due again; -1 for no next attempt.
    var delaySeconds: Double {
        switch decision {
        case .retry(let delay), .postponed(let delay): delay.seconds
        case .delivered, .failed, .gone: -1
        }
    }
}
