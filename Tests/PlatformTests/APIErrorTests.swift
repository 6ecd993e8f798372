import Platform
import Testing

@Suite struct APIErrorTests {
    @Test func twilioCodesAndStatuses() {
        let cases: [(APIError, Int, Int)] = [
            (.authenticationFailed, 401, 20003),
            (.accountNotActive, 401, 20005),
            (.notFound("/x"), 404, 20404),
            (.invalidParameter("To", "missing"), 400, 20001),
            (.invalidFriendlyName(maximumLength: 64), 400, 20002),
            (.forbidden("no"), 403, 20403),
            (.methodNotAllowed("PUT", path: "/x", allowed: ["GET"]), 405, 20405),
            (.payloadTooLarge(limit: 10), 413, 20413),
            (.tooManyRequests(retryAfterSeconds: 3), 429, 20429),
            (.idempotentRequestInFlight, 409, 20409),
            (.idempotencyKeyReused, 422, 20422),
            (.internalError, 500, 20500),
        ]
        for (error, status, code) in cases {
            #expect(error.status == status, "\(error)")
            #expect(error.code == code, "\(error)")
            #expect(error.moreInfo == "https://www.twilio.com/docs/errors/\(code)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func headers() {
        #expect(APIError.authenticationFailed.headers["WWW-Authenticate"] == #"Basic realm="Twilio API""#)
        #expect(APIError.tooManyRequests(retryAfterSeconds: 7).headers == ["Retry-After": "7"])
        #expect(APIError.methodNotAllowed("DELETE", path: "/p", allowed: ["GET", "POST"]).headers == ["Allow": "GET, POST"])
        #expect(APIError.notFound("/p").headers.isEmpty)
        #expect(APIError.notFound("/Accounts/AC1.json").message.contains("/Accounts/AC1.json"))
    }

    @Test func friendlyNameLimit() throws {
        #expect(try FriendlyName.validate(nil) == nil)
        #expect(try FriendlyName.validate("") == "")
        let longest = String(repeating: "é", count: FriendlyName.maximumLength)
        #expect(try FriendlyName.validate(longest) == longest)
        #expect(throws: APIError.invalidFriendlyName(maximumLength: 64)) {
            try FriendlyName.validate(longest + "x")
        }
    }
}
