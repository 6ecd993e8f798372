import HTTPTypes
import Hummingbird
import Logging
import Platform

/// Gives each request an id (`Twilio-Request-Id: RQ…`, also in every log line it causes) and logs
/// one line when it completes: method, route, status, duration, account.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let requestID = SID.generate(.request).rawValue
        context.requestID = requestID
        context.logger[metadataKey: "request_id"] = .string(requestID)
        let start = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[.twilioRequestID] = requestID
        let elapsed = (ContinuousClock.now - start).components
        // Hundredths of a millisecond, formatted by hand (String(format:) is slow on Linux).
        let hundredths = Int(elapsed.seconds) * 100_000 + Int(elapsed.attoseconds / 10_000_000_000_000)
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "route": .string(context.endpointPath ?? "unmatched"),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .string("\(hundredths / 100).\(UTCTime.pad(hundredths % 100))"),
            ])
        return response
    }
}

extension HTTPField.Name {
    static let twilioRequestID = HTTPField.Name("Twilio-Request-Id")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
    static let twilioWebhookEnabled = HTTPField.Name("X-Twilio-Webhook-Enabled")!
}
