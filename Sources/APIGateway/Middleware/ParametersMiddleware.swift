import Hummingbird
import Platform

/// Decodes the query string and, for requests with a body, the form body into the context, enforcing
/// the body size limit (413) before anything else reads it.
struct ParametersMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let maximumBodySize: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        if let query = request.uri.query { context.query = try FormParameters(encoded: query) }
        if [.post, .put, .patch].contains(request.method) {
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximumBodySize {
                throw APIError.payloadTooLarge(limit: maximumBodySize)
            }
            let body = try await request.collectBody(upTo: maximumBodySize)
            if body.readableBytes > 0 {
                let contentType = request.headers[.contentType]?.lowercased() ?? "application/x-www-form-urlencoded"
                guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
                    throw APIError(status: 415, code: 20415, message: "Request bodies must be application/x-www-form-urlencoded")
                }
                context.form = try FormParameters(encoded: String(buffer: body))
            }
        }
        return try await next(request, context)
    }
}
