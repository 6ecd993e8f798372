import Hummingbird
import Logging
import Platform

/// Turns every error into Twilio's error body. Unknown paths become 404/20404; a known path with
/// the wrong method 405; anything unexpected 500 (logged with its detail, which the client never sees).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let routes: RouteTable
    let maximumBodySize: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return JSONResponse.error(error)
        } catch let error as HTTPError {
            return JSONResponse.error(translate(error, request: request))
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return JSONResponse.error(.internalError)
        }
    }

    private func translate(_ error: HTTPError, request: Request) -> APIError {
        switch error.status {
        case .notFound:
            let allowed = routes.methods(matching: request.uri.path)
            if !allowed.isEmpty {
                return .methodNotAllowed(request.method.rawValue, path: request.uri.path, allowed: allowed.map(\.rawValue))
            }
            return .notFound(request.uri.path)
        case .contentTooLarge:
            return .payloadTooLarge(limit: maximumBodySize)
        default:
            return APIError(status: Int(error.status.code), code: 20000 + error.status.code, message: error.body ?? error.status.reasonPhrase)
        }
    }
}
