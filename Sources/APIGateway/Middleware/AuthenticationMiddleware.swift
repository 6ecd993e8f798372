import Foundation
import Hummingbird
import Platform

/// HTTP Basic authentication with `AccountSid:AuthToken` or `KeySid:Secret`; sets the context's principal.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let verifier: CredentialVerifier

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], let (username, password) = Self.basicCredentials(header) else {
            throw APIError.authenticationFailed
        }
        var context = context
        let principal = try await verifier.verify(username: username, password: password, logger: context.logger)
        context.principal = principal
        context.logger[metadataKey: "account_sid"] = .string(principal.accountSid.rawValue)
        if principal.credentialSid != principal.accountSid {
            context.logger[metadataKey: "key_sid"] = .string(principal.credentialSid.rawValue)  // which API key acted
        }
        return try await next(request, context)
    }

    /// Splits `Basic base64(username:password)`; `nil` for anything malformed.
    static func basicCredentials(_ header: String) -> (String, String)? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}

/// Applies the per-account token bucket after authentication.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let principal = try context.requirePrincipal()
        if let retryAfter = limiter.acquire(for: principal.accountSid) {
            throw APIError.tooManyRequests(retryAfterSeconds: retryAfter)
        }
        return try await next(request, context)
    }
}
