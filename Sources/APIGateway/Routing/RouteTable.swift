import HTTPTypes
import Hummingbird
import Synchronization

/// Every route the gateway serves, recorded as it is registered. It is the source of truth for the
/// OpenAPI consistency test, for the cross-tenant test that walks every route, and for telling a
/// wrong method (405) from an unknown path (404).
public final class RouteTable: Sendable {
    /// Who may call a route.
    public enum Access: Sendable {
        case open
        case authenticated
    }

    public struct Route: Sendable, Hashable, CustomStringConvertible {
        public var method: HTTPRequest.Method
        /// OpenAPI-style template, e.g. `/api/2010-04-01/Accounts/{Sid}.json`.
        public var path: String
        public var access: Access

        public var description: String { "\(method) \(path)" }
    }

    private let storage = Mutex<[Route]>([])

    public init() {}

    public var routes: [Route] { storage.withLock { $0 } }

    func record(_ route: Route) {
        storage.withLock { $0.append(route) }
    }

    /// Methods registered for templates matching `path`.
    func methods(matching path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return routes.filter { Self.matches(template: $0.path, segments: segments) }.map(\.method)
    }

    private static func matches(template: String, segments: [Substring]) -> Bool {
        let parts = template.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == segments.count else { return false }
        return zip(parts, segments).allSatisfy { part, segment in
            guard part.first == "{", let close = part.firstIndex(of: "}") else { return part == segment }
            let suffix = part[part.index(after: close)...]
            return segment.count > suffix.count && segment.hasSuffix(suffix)
        }
    }
}

/// Registers handlers on a router group and records them in the ``RouteTable``.
public struct RouteRegistrar {
    let group: RouterGroup<GatewayRequestContext>
    let table: RouteTable
    let access: RouteTable.Access

    public typealias Handler = @Sendable (Request, GatewayRequestContext) async throws -> Response

    public func get(_ path: String, _ handler: @escaping Handler) { on(.get, path, handler) }
    public func post(_ path: String, _ handler: @escaping Handler) { on(.post, path, handler) }
    public func delete(_ path: String, _ handler: @escaping Handler) { on(.delete, path, handler) }

    public func on(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        group.on(RouterPath(path), method: method, use: handler)
        table.record(.init(method: method, path: path, access: access))
    }
}
