import Hummingbird
import Platform
import Prometheus

/// Unauthenticated operational endpoints: `/health`, `/metrics`, `/openapi.yaml`, `/asyncapi.yaml`.
struct SystemController: Sendable {
    let database: Database
    let metrics: PrometheusCollectorRegistry
    let openAPIDocument: ByteBuffer
    let asyncAPIDocument: ByteBuffer
    static let healthDeadline: Duration = .seconds(2)

    func register(on routes: RouteRegistrar) {
        routes.get("/health", health)
        routes.get("/metrics", exportMetrics)
        routes.get("/openapi.yaml", openAPI)
        routes.get("/asyncapi.yaml", asyncAPI)
    }

    /// 200 once the database answers within the deadline, 503 otherwise.
    @Sendable func health(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let database = database
        let logger = context.logger
        let reachable = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await database.query("SELECT 1", logger: logger)) != nil }
            group.addTask {
                try? await Task.sleep(for: Self.healthDeadline)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        return JSONResponse.make(HealthBody(reachable: reachable), status: reachable ? .ok : .serviceUnavailable)
    }

    @Sendable func exportMetrics(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        var bytes: [UInt8] = []
        metrics.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    @Sendable func openAPI(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: openAPIDocument))
    }

    @Sendable func asyncAPI(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: asyncAPIDocument))
    }

    private struct HealthBody: JSONRepresentable {
        let reachable: Bool

        func write(to json: inout JSONObjectWriter) {
            json.field("status", reachable ? "ok" : "unavailable")
            json.field("database", reachable ? "ok" : "unreachable")
        }
    }
}
