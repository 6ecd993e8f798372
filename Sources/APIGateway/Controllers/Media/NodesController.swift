import Foundation
import Hummingbird
import MediaNodes
import Platform

/// `/media/v1/Nodes`: the operator's view of the media nodes, and draining one. Owner account only.
struct NodesController: Sendable {
    let nodes: NodeRegistry
    let accounts: AccountRepository
    let database: Database
    let publicURL: String

    func register(on routes: RouteRegistrar) {
        routes.get(MediaV1.route("/Nodes"), list)
        routes.get(MediaV1.route("/Nodes/{Sid}"), fetch)
        routes.post(MediaV1.route("/Nodes/{Sid}"), update)
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try await requireOperator(context)
        let page = try PageRequest(query: context.query)
        let status: MediaNodeStatus? = try context.query.choice("Status")
        let rows = try await nodes.list(status: status, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "nodes", page: rows, request: page, path: MediaV1.path("/Nodes"), filters: context.query.selecting(["Status"]),
            style: .v1(publicURL: publicURL, mount: MediaV1.mount)
        ) { NodeResource(node: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try await requireOperator(context)
        let sid = try context.sid("Sid", prefix: .mediaNode, path: request.uri.path)
        guard let node = try await nodes.find(sid, logger: context.logger) else { throw APIError.notFound(request.uri.path) }
        return JSONResponse.make(NodeResource(node: node, publicURL: publicURL))
    }

    /// `Status=draining`: the node takes no new rooms, keeps its rooms until they empty, then exits.
    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try await requireOperator(context)
        let sid = try context.sid("Sid", prefix: .mediaNode, path: request.uri.path)
        guard let requested: MediaNodeStatus = try context.form.choice("Status") else {
            throw APIError.invalidParameter("Status", "is required")
        }
        guard requested == .draining else { throw APIError.invalidParameter("Status", "only draining can be set") }
        guard let current = try await nodes.find(sid, logger: context.logger) else { throw APIError.notFound(request.uri.path) }
        guard current.status == .active || current.status == .draining else {
            throw APIError.invalidParameter("Status", "the node is \(current.status.rawValue); only an active node can drain")
        }
        guard let node = try await nodes.setStatus(.draining, of: sid, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        await NodeCommand.send(.drain, to: sid, database: database, logger: context.logger)
        return JSONResponse.make(NodeResource(node: node, publicURL: publicURL), status: .accepted)
    }

    /// Nodes are the platform's, not a tenant's: only the owner account (not its subaccounts) sees them.
    private func requireOperator(_ context: GatewayRequestContext) async throws {
        let principal = try context.requirePrincipal()
        guard try await accounts.ownerSid(logger: context.logger) == principal.accountSid else {
            throw APIError.forbidden("Media nodes are visible to the operator (owner account) only")
        }
    }
}

/// `media.v1.node`.
struct NodeResource: JSONRepresentable {
    let node: MediaNode
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        json.field("sid", node.sid.rawValue)
        json.field("name", node.name)
        json.field("status", node.status.rawValue)
        json.field("signaling_url", node.signalingURL)
        json.field("media_host", node.mediaHost)
        json.field("media_port", node.mediaPort)
        json.field("capacity", node.capacity)
        json.field("load", node.load)
        json.field("room_count", node.roomCount)
        json.field("version", node.version)
        json.field("last_heartbeat", TwilioDate.iso8601(node.lastHeartbeat))
        json.field("date_created", TwilioDate.iso8601(node.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(node.dateUpdated))
        json.field("url", MediaV1.url(publicURL, "/Nodes/\(node.sid.rawValue)"))
    }
}
