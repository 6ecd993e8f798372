/// An error that reaches the client as Twilio's error body
/// `{"code": …, "message": …, "more_info": "https://www.twilio.com/docs/errors/<code>", "status": …}`.
///
/// Domain code throws these; the gateway renders them. Codes follow Twilio where Twilio has one
/// (20003 authentication, 20404 not found, 20429 too many requests); for generic HTTP conditions
/// without a documented Twilio code we use `20000 + status`, the pattern those codes follow.
public struct APIError: Error, Sendable, Equatable {
    /// HTTP status code.
    public var status: Int
    /// Twilio error code.
    public var code: Int
    /// Human-readable explanation.
    public var message: String
    /// Extra response headers (`Retry-After`, `Allow`, `WWW-Authenticate`).
    public var headers: [String: String]
    /// A JSON object added to the body as `details` (Studio's definition errors list their problems there).
    public var details: [UInt8]?

    public init(status: Int, code: Int, message: String, headers: [String: String] = [:], details: [UInt8]? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
        self.details = details
    }

    /// The documentation link Twilio puts in `more_info`.
    public var moreInfo: String { "https://www.twilio.com/docs/errors/\(code)" }
}

extension APIError {
    /// 401/20003: missing, malformed or wrong credentials.
    public static let authenticationFailed = APIError(
        status: 401, code: 20003, message: "Authenticate",
        headers: ["WWW-Authenticate": #"Basic realm="Twilio API""#])

    /// 401/20005: correct credentials of a suspended or closed account.
    public static let accountNotActive = APIError(status: 401, code: 20005, message: "Account not active")

    /// 404/20404 for a path that names nothing the caller may see.
    public static func notFound(_ path: String) -> APIError {
        APIError(status: 404, code: 20404, message: "The requested resource \(path) was not found")
    }

    /// 400/20001: a parameter is missing or has a value we cannot accept.
    public static func invalidParameter(_ name: String, _ reason: String) -> APIError {
        APIError(status: 400, code: 20001, message: "Invalid parameter \(name): \(reason)")
    }

    /// 400/20002: FriendlyName too long or otherwise unacceptable.
    public static func invalidFriendlyName(maximumLength: Int) -> APIError {
        APIError(status: 400, code: 20002, message: "Invalid FriendlyName: at most \(maximumLength) characters")
    }

    /// 403/20403: authenticated, but this action is not allowed for these credentials.
    public static func forbidden(_ message: String) -> APIError {
        APIError(status: 403, code: 20403, message: message)
    }

    /// 405/20405 with the methods the path does support.
    public static func methodNotAllowed(_ method: String, path: String, allowed: [String]) -> APIError {
        APIError(status: 405, code: 20405, message: "Method \(method) not allowed on \(path)",
                 headers: ["Allow": allowed.joined(separator: ", ")])
    }

    /// 413/20413: the request body exceeds the configured limit.
    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: 413, code: 20413, message: "Request body larger than \(limit) bytes")
    }

    /// 429/20429 with the number of seconds to wait.
    public static func tooManyRequests(retryAfterSeconds: Int) -> APIError {
        APIError(status: 429, code: 20429, message: "Too Many Requests",
                 headers: ["Retry-After": String(retryAfterSeconds)])
    }

    /// 409/20409: a request with the same `Idempotency-Key` is still being processed.
    public static let idempotentRequestInFlight = APIError(
        status: 409, code: 20409, message: "A request with this Idempotency-Key is still in progress")

    /// 422/20422: the `Idempotency-Key` was used before with different parameters.
    public static let idempotencyKeyReused = APIError(
        status: 422, code: 20422, message: "This Idempotency-Key was already used with different parameters")

    /// 500/20500: a bug or an unexpected failure; details go to the log, not the client.
    public static let internalError = APIError(status: 500, code: 20500, message: "Internal server error")
}
