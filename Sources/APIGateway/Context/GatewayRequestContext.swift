import Hummingbird
import Platform

/// Per-request state filled by the gateway's middleware and read by controllers.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``AuthenticationMiddleware`` on authenticated routes.
    public var principal: Principal?
    /// The request's `Twilio-Request-Id` (`RQ…`).
    public var requestID: String = ""
    /// Decoded query string.
    public var query = FormParameters()
    /// Decoded form body (POST/PUT/PATCH on authenticated routes).
    public var form = FormParameters()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// The authenticated caller; authenticated routes always have one.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw APIError.authenticationFailed }
        return principal
    }

    /// A path parameter that must be a SID with `prefix`; anything else names nothing (404).
    public func sid(_ parameter: String, prefix: SIDPrefix, path: String) throws -> SID {
        guard let value = parameters.get(parameter), let sid = SID(value, prefix: prefix) else {
            throw APIError.notFound(path)
        }
        return sid
    }

    /// A path parameter, percent-decoded (unique names and identities may hold spaces and the like).
    public func pathValue(_ name: String) -> String? {
        guard let raw = parameters.get(name), !raw.isEmpty else { return nil }
        guard raw.contains("%") else { return raw }
        return raw.removingPercentEncoding
    }
}
