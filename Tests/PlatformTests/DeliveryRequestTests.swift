import Foundation
@testable import Platform
import Testing

/// The signed requests of the two delivery styles, checked with the verifiers receivers use.
@Suite struct DeliveryRequestTests {
    let secret = WebhookSecret.generate()
    let previous = WebhookSecret.generate()
    let authToken = "0123456789abcdef0123456789abcdef"

    func claimed(format: DeliveryFormat, method: DeliveryMethod = .post, url: String, content: [UInt8], eventSid: SID? = .generate(.event)) -> ClaimedDelivery {
        ClaimedDelivery(
            sid: .generate(.delivery), accountSid: .generate(.account), subscriptionSid: .generate(.eventSubscription),
            eventSid: eventSid, eventType: "account.updated", url: url, method: method, format: format, content: content,
            attempt: 1, scheduleStart: 0, signingSecrets: [secret, previous], authToken: authToken, createdAt: .now)
    }

    @Test func jsonDeliveriesVerifyWithEitherSecretDuringRotation() throws {
        let event = EventCatalogue.keyCreated(APIKey(sid: .generate(.apiKey), accountSid: .generate(.account), friendlyName: "CI", dateCreated: .now, dateUpdated: .now))
        let delivery = claimed(format: .json, url: "https://example.com/hook#ct=1000", content: event.jsonBody, eventSid: event.sid)
        let now = Date.now
        let request = delivery.outboundRequest(now: now)
        #expect(request.method == "POST")
        #expect(request.url == "https://example.com/hook#ct=1000")  // the client strips the overrides
        #expect(request.headers.first { $0.0 == "webhook-id" }?.1 == event.sid.rawValue)
        let body = try #require(request.body)
        for key in [secret, previous] {
            try StandardWebhooks.verify(headers: request.headers, body: body, secret: key, now: Int(now.timeIntervalSince1970))
        }
        var tampered = body
        tampered[tampered.count / 2] ^= 1
        #expect(throws: StandardWebhooksError.noMatchingSignature) {
            try StandardWebhooks.verify(headers: request.headers, body: tampered, secret: secret, now: Int(now.timeIntervalSince1970))
        }
    }

    @Test func formPostIsSignedOverTheURLWithoutFragmentAndTheParameters() throws {
        let parameters = [("EventSid", "EV1"), ("FriendlyName", "Sales & Co"), ("Status", "active")]
        let delivery = claimed(format: .form, url: "https://example.com/cb?x=1#rc=2", content: Array(FormEncoding.encode(parameters).utf8))
        let request = delivery.outboundRequest(now: .now)
        #expect(request.method == "POST")
        #expect(request.headers.first { $0.0 == "Content-Type" }?.1 == "application/x-www-form-urlencoded")
        #expect(request.headers.first { $0.0 == "I-Twilio-Idempotency-Token" }?.1 == delivery.eventSid?.rawValue)
        let signature = try #require(request.headers.first { $0.0 == "X-Twilio-Signature" }?.1)
        #expect(TwilioSignature.isValid(signature: signature, url: "https://example.com/cb?x=1", formParameters: parameters, authToken: authToken))
        #expect(!TwilioSignature.isValid(signature: signature, url: "https://example.com/cb?x=1#rc=2", formParameters: parameters, authToken: authToken))
        #expect(!TwilioSignature.isValid(signature: signature, url: "https://example.com/cb?x=1", formParameters: [("EventSid", "EV2")], authToken: authToken))
    }

    @Test func formGetCarriesTheParametersInTheSignedQuery() throws {
        let parameters = [("EventSid", "EV1"), ("To", "+15551234567")]
        let delivery = claimed(format: .form, method: .get, url: "https://example.com/cb?x=1#ct=500", content: Array(FormEncoding.encode(parameters).utf8))
        let request = delivery.outboundRequest(now: .now)
        #expect(request.method == "GET")
        #expect(request.body == nil)
        #expect(request.url == "https://example.com/cb?x=1&EventSid=EV1&To=%2B15551234567#ct=500")
        let signature = try #require(request.headers.first { $0.0 == "X-Twilio-Signature" }?.1)
        #expect(TwilioSignature.isValid(
            signature: signature, url: "https://example.com/cb?x=1&EventSid=EV1&To=%2B15551234567", formParameters: [], authToken: authToken))
    }

    @Test func callbacksUseTheirDeliverySidAsTheIdempotencyToken() {
        let delivery = claimed(format: .form, url: "https://example.com/cb", content: Array("A=1".utf8), eventSid: nil)
        #expect(delivery.messageID == delivery.sid.rawValue)
        #expect(delivery.outboundRequest(now: .now).headers.first { $0.0 == "I-Twilio-Idempotency-Token" }?.1 == delivery.sid.rawValue)
    }

    @Test func eventsRenderTheSameFieldsInBothStyles() throws {
        let account = Account(
            sid: .generate(.account), parentSid: .generate(.account), friendlyName: "Sub \"1\"", status: .active,
            authToken: "secret-token", dateCreated: Date(timeIntervalSince1970: 1_795_000_000.25), dateUpdated: Date(timeIntervalSince1970: 1_795_000_000.25))
        let event = EventCatalogue.accountUpdated(account)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(event.jsonBody)) as? [String: Any])
        #expect(json["id"] as? String == event.sid.rawValue)
        #expect(json["type"] as? String == "account.updated")
        #expect(json["account_sid"] as? String == account.sid.rawValue)
        let data = try #require(json["data"] as? [String: Any])
        #expect(data["friendly_name"] as? String == "Sub \"1\"")
        #expect(data["owner_account_sid"] as? String == account.parentSid?.rawValue)
        #expect(data["date_created"] as? String == "2026-11-18T11:06:40.250Z")
        #expect(!String(decoding: event.jsonBody, as: UTF8.self).contains("secret-token"))
        let form = Dictionary(uniqueKeysWithValues: event.formParameters)
        #expect(form["EventSid"] == event.sid.rawValue)
        #expect(form["EventType"] == "account.updated")
        #expect(form["FriendlyName"] == "Sub \"1\"")
        #expect(form["OwnerAccountSid"] == account.parentSid?.rawValue)
        #expect(form["DateCreated"] == "2026-11-18T11:06:40.250Z")
        #expect(!form.values.contains("secret-token"))
    }
}

@Suite struct DeliveryDecisionTests {
    let schedule = RetrySchedule(steps: [.seconds(5), .seconds(30)])

    func result(status: Int? = nil, headers: [(String, String)] = [], failure: OutboundFailure? = nil) -> OutboundResult {
        OutboundResult(
            target: nil, statusCode: status, headers: headers, body: [], bodyTruncated: false, latency: .milliseconds(3), tries: 1,
            failure: failure)
    }

    @Test func twoHundredsAreDelivered() {
        for status in [200, 201, 204, 299] {
            #expect(DeliveryDecision.after(result(status: status), attemptInSchedule: 1, hasSubscription: true, schedule: schedule) == .delivered)
        }
    }

    @Test func failuresRetryOnTheScheduleThenFail() {
        for failed in [result(status: 500), result(status: 404), result(status: 302), result(failure: .timeout("t")), result(failure: .connect("c")),
                       result(failure: .refused("r"))] {
            guard case .retry(let first) = DeliveryDecision.after(failed, attemptInSchedule: 1, hasSubscription: true, schedule: schedule) else {
                Issue.record("no retry after \(failed)"); continue
            }
            #expect(first <= .seconds(5))
            guard case .retry(let second) = DeliveryDecision.after(failed, attemptInSchedule: 2, hasSubscription: true, schedule: schedule) else {
                Issue.record("no second retry after \(failed)"); continue
            }
            #expect(second <= .seconds(30))
            #expect(DeliveryDecision.after(failed, attemptInSchedule: 3, hasSubscription: true, schedule: schedule) == .failed)
        }
    }

    @Test func retryAfterOn503And429IsAFloor() {
        for status in [503, 429] {
            let answer = result(status: status, headers: [("retry-after", "20")])
            guard case .retry(let delay) = DeliveryDecision.after(answer, attemptInSchedule: 1, hasSubscription: true, schedule: schedule) else {
                Issue.record("no retry"); continue
            }
            #expect(delay >= .seconds(20) && delay <= .seconds(22))
        }
        // Other statuses do not get to set the pace.
        guard case .retry(let delay) = DeliveryDecision.after(
            result(status: 500, headers: [("Retry-After", "20")]), attemptInSchedule: 1, hasSubscription: true, schedule: schedule)
        else { Issue.record("no retry"); return }
        #expect(delay <= .seconds(5))
    }

    @Test func goneDisablesSubscriptionsAndEndsCallbacks() {
        #expect(DeliveryDecision.after(result(status: 410), attemptInSchedule: 1, hasSubscription: true, schedule: schedule) == .gone)
        #expect(DeliveryDecision.after(result(status: 410), attemptInSchedule: 1, hasSubscription: false, schedule: schedule) == .failed)
    }

    @Test func anInvalidURLFailsAtOnce() {
        #expect(DeliveryDecision.after(result(failure: .invalidURL("x")), attemptInSchedule: 1, hasSubscription: true, schedule: schedule) == .failed)
    }

    @Test func theBreakerCountsSilenceAndServerErrorsNotRefusalsOr4xx() {
        #expect(AttemptOutcome.endpointFailed(result(failure: .timeout("t"))))
        #expect(AttemptOutcome.endpointFailed(result(failure: .connect("c"))))
        #expect(AttemptOutcome.endpointFailed(result(status: 502)))
        #expect(AttemptOutcome.endpointFailed(result(status: 429)))
        #expect(!AttemptOutcome.endpointFailed(result(status: 404)))
        #expect(!AttemptOutcome.endpointFailed(result(status: 200)))
        #expect(!AttemptOutcome.endpointFailed(result(failure: .refused("r"))))
    }
}
