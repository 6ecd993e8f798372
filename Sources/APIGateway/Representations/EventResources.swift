import Platform

/// Where Parley's events product lives: `/events/v1/…`, with absolute links as in Twilio's v1 products.
enum EventsV1 {
    static let mount = "/events"
    static let version = "/v1"

    /// A route template under the mount.
    static func route(_ path: String) -> String { mount + version + path }
    /// A list's path for ``ListEnvelope`` (which adds the mount).
    static func path(_ path: String) -> String { version + path }
    /// An absolute URL as it appears in responses.
    static func url(_ publicURL: String, _ path: String) -> String { publicURL + mount + version + path }
}

/// `events.v1.subscription`; `secret` is set on create and rotate only.
struct SubscriptionResource: JSONRepresentable {
    let subscription: EventSubscription
    let publicURL: String
    var secret: WebhookSecret? = nil

    func write(to json: inout JSONObjectWriter) {
        let sid = subscription.sid.rawValue
        json.field("sid", sid)
        json.field("account_sid", subscription.accountSid.rawValue)
        json.field("friendly_name", subscription.friendlyName)
        json.field("url", subscription.url)
        var types = [UInt8(ascii: "[")]
        for (index, type) in subscription.eventTypes.enumerated() {
            if index > 0 { types.append(UInt8(ascii: ",")) }
            JSONObjectWriter.appendString(type, to: &types)
        }
        json.field("event_types", json: types + [UInt8(ascii: "]")])
        json.field("format", subscription.format.rawValue)
        json.field("method", subscription.method.rawValue)
        json.field("enabled", subscription.enabled)
        json.field("disabled_reason", subscription.disabledReason)
        json.field("previous_secret_expires_at", subscription.previousSecretExpiresAt.map(TwilioDate.iso8601))
        json.field("date_created", TwilioDate.iso8601(subscription.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(subscription.dateUpdated))
        if let secret { json.field("secret", secret.serialized) }
        json.field("links") { links in
            links.field("self", EventsV1.url(publicURL, "/Subscriptions/\(sid)"))
            links.field("deliveries", EventsV1.url(publicURL, "/Deliveries?SubscriptionSid=\(sid)"))
        }
    }
}

/// `events.v1.delivery`.
struct DeliveryResource: JSONRepresentable {
    let delivery: Delivery
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        let sid = delivery.sid.rawValue
        json.field("sid", sid)
        json.field("account_sid", delivery.accountSid.rawValue)
        json.field("subscription_sid", delivery.subscriptionSid?.rawValue)
        json.field("event_sid", delivery.eventSid?.rawValue)
        json.field("event_type", delivery.eventType)
        json.field("url", delivery.url)
        json.field("method", delivery.method.rawValue)
        json.field("format", delivery.format.rawValue)
        json.field("status", delivery.status.rawValue)
        json.field("attempt_count", delivery.attemptCount)
        json.field("next_attempt_at", delivery.nextAttemptAt.map(TwilioDate.iso8601))
        json.field("last_response_code", delivery.lastResponseCode)
        json.field("last_error", delivery.lastError)
        json.field("date_created", TwilioDate.iso8601(delivery.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(delivery.dateUpdated))
        json.field("date_delivered", delivery.dateDelivered.map(TwilioDate.iso8601))
        json.field("links") { links in
            links.field("self", EventsV1.url(publicURL, "/Deliveries/\(sid)"))
            links.field("attempts", EventsV1.url(publicURL, "/Deliveries/\(sid)/Attempts"))
            links.field("replay", EventsV1.url(publicURL, "/Deliveries/\(sid)/Replay"))
        }
    }
}

/// `events.v1.delivery.attempt`.
struct DeliveryAttemptResource: JSONRepresentable {
    let attempt: DeliveryAttempt

    func write(to json: inout JSONObjectWriter) {
        json.field("number", attempt.number)
        json.field("delivery_sid", attempt.deliverySid.rawValue)
        json.field("account_sid", attempt.accountSid.rawValue)
        json.field("date_started", TwilioDate.iso8601(attempt.dateStarted))
        json.field("url", attempt.url)
        json.field("response_code", attempt.responseCode)
        json.field("latency_ms", attempt.latencyMilliseconds.isFinite ? Int(attempt.latencyMilliseconds.rounded()) : nil)
        json.field("response_body", attempt.responseBody)
        json.field("error", attempt.error)
    }
}
