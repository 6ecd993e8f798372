import Foundation

/// A delivery a worker has claimed: everything needed to send it once, secrets unsealed.
public struct ClaimedDelivery: Sendable {
    public var sid: SID
    public var accountSid: SID
    public var subscriptionSid: SID?
    /// `nil` for a resource callback (StatusCallback, SmsUrl…), which is its own message.
    public var eventSid: SID?
    public var eventType: String
    /// As configured, Twilio connection-override fragment included.
    public var url: String
    public var method: DeliveryMethod
    public var format: DeliveryFormat
    /// JSON body, or form-encoded parameters.
    public var content: [UInt8]
    /// This attempt's number (1 for the first).
    public var attempt: Int
    /// Attempts made before the last replay; the retry schedule counts from there.
    public var scheduleStart: Int
    /// Standard Webhooks secrets, current first (JSON deliveries of a subscription).
    public var signingSecrets: [WebhookSecret]
    /// The owning account's auth token (form deliveries).
    public var authToken: String
    /// When the delivery was created (for the enqueue-to-attempt latency).
    public var createdAt: Date
    /// Whether it has an ordering key: the next delivery of that key waits for this one to finish.
    public var ordered: Bool = false

    /// The id receivers de-duplicate by: the event's, or the callback delivery's own.
    public var messageID: String { (eventSid ?? sid).rawValue }
}

extension ClaimedDelivery {
    /// The signed request for this attempt; `now` is its time, for `webhook-timestamp`.
    public func outboundRequest(now: Date) -> OutboundRequest {
        switch format {
        case .json:
            var headers = [("Content-Type", "application/json")]
            headers += StandardWebhooks.headers(
                id: messageID, timestamp: Int(now.timeIntervalSince1970), body: content, secrets: signingSecrets)
            return OutboundRequest(url: url, method: "POST", headers: headers, body: content)
        case .form:
            return TwilioCallback.request(
                url: url, method: method, encodedParameters: String(decoding: content, as: UTF8.self),
                authToken: authToken, idempotencyToken: messageID)
        }
    }
}
