import Logging
import PostgresNIO

/// Twilio-style callbacks: a parameter set sent to a URL a customer configured on a resource
/// (`StatusCallback`, `SmsUrl`, …), signed with `X-Twilio-Signature` using the account's auth token.
///
/// Queued ones (status callbacks) are deliveries like any event's: retried, recorded, replayable.
/// Synchronous ones, whose answer matters (an `SmsUrl` returning TwiML), go through ``send(url:method:parameters:authToken:idempotencyToken:client:)``:
/// the same signer, client and egress guard, no queue.
public enum TwilioCallback {
    /// Queues a callback in the caller's transaction; call ``EventOutbox/committed()`` after commit.
    /// - Parameters:
    ///   - type: what it reports, for filtering deliveries (e.g. `room.status_callback`).
    ///   - method: as the resource's `…Method` parameter says.
    ///   - orderingKey: callbacks sharing one (a room's SID) are sent one at a time, in the order enqueued.
    /// - Returns: the delivery's SID, which is also its `I-Twilio-Idempotency-Token`.
    @discardableResult
    public static func enqueue(
        account: SID, type: String, url: String, method: DeliveryMethod, parameters: [(String, String)],
        orderingKey: String? = nil, on connection: PostgresConnection, logger: Logger
    ) async throws -> SID {
        let sid = SID.generate(.delivery)
        try await connection.query(
            """
            INSERT INTO deliveries (sid, account_sid, event_type, url, method, format, payload, status, next_attempt_at, ordering_key)
            VALUES (\(sid.rawValue), \(account.rawValue), \(type), \(url), \(method.rawValue), 'form',
                    \(ByteBuffer(string: FormEncoding.encode(parameters))), 'pending', clock_timestamp(), \(orderingKey))
            """, logger: logger)
        return sid
    }

    /// Sends a callback now and returns what came back (failures included, never thrown).
    public static func send(
        url: String, method: DeliveryMethod, parameters: [(String, String)], authToken: String, idempotencyToken: String,
        client: EgressHTTPClient
    ) async -> OutboundResult {
        await client.send(request(
            url: url, method: method, encodedParameters: FormEncoding.encode(parameters), authToken: authToken,
            idempotencyToken: idempotencyToken))
    }

    /// The signed request. The signature covers the URL as requested, without the connection-override
    /// fragment (which is never sent): for a POST the URL plus the sorted parameters, for a GET the URL
    /// with the parameters in its query and nothing else.
    static func request(
        url: String, method: DeliveryMethod, encodedParameters: String, authToken: String, idempotencyToken: String
    ) -> OutboundRequest {
        let (base, fragment) = splitFragment(url)
        var headers = [("I-Twilio-Idempotency-Token", idempotencyToken)]
        if method == .get {
            let signedURL = encodedParameters.isEmpty ? base : base + (base.contains("?") ? "&" : "?") + encodedParameters
            headers.append(("X-Twilio-Signature", TwilioSignature.sign(url: signedURL, formParameters: [], authToken: authToken)))
            return OutboundRequest(url: signedURL + fragment, method: "GET", headers: headers)
        }
        let parameters = (try? FormEncoding.decode(encodedParameters)) ?? []
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        headers.append(("X-Twilio-Signature", TwilioSignature.sign(url: base, formParameters: parameters, authToken: authToken)))
        return OutboundRequest(url: url, method: "POST", headers: headers, body: Array(encodedParameters.utf8))
    }

    /// `(url before "#", "#…" or "")`.
    private static func splitFragment(_ url: String) -> (String, Substring) {
        guard let hash = url.firstIndex(of: "#") else { return (url, "") }
        return (String(url[..<hash]), url[hash...])
    }
}
