import Flows
import Foundation
import Hummingbird
import Messaging
import Platform

/// Studio v2 `/Flows`: create, list, fetch, update (a new revision each time), delete, revisions, validation, and
/// (beyond Studio) the flow's diagram. The caller's own flows only.
struct FlowsController: Sendable {
    let flows: FlowRepository
    let executions: FlowExecutionRepository
    let publicURL: String

    func register(on routes: RouteRegistrar) {
        routes.post(StudioV2.route("/Flows"), create)
        routes.get(StudioV2.route("/Flows"), list)
        routes.post(StudioV2.route("/Flows/Validate"), validate)
        routes.get(StudioV2.route("/Flows/{FlowSid}"), fetch)
        routes.post(StudioV2.route("/Flows/{FlowSid}"), update)
        routes.delete(StudioV2.route("/Flows/{FlowSid}"), delete)
        routes.get(StudioV2.route("/Flows/{FlowSid}/Revisions"), revisions)
        routes.get(StudioV2.route("/Flows/{FlowSid}/Revisions/{Revision}"), revision)
        routes.get(StudioV2.route("/Flows/{FlowSid}/Diagram"), diagram)
        routes.get(StudioV2.route("/Flows/{FlowSid}/TestUsers"), testUsers)
        routes.post(StudioV2.route("/Flows/{FlowSid}/TestUsers"), setTestUsers)
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let (fields, _) = try StudioParameters.fields(context.form, requireName: true, requireDefinition: true)
        let flow = try await flows.create(fields, account: principal.accountSid, logger: context.logger)
        return JSONResponse.make(FlowResource(flow: flow, publicURL: publicURL), status: .created)
    }

    @Sendable func validate(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        _ = try context.requirePrincipal()
        _ = try StudioParameters.fields(context.form, requireName: true, requireDefinition: true)
        return JSONResponse.make(FlowValidResource())
    }

    /// The caller's flows, oldest first.
    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let page = try PageRequest(query: context.query)
        let rows = try await flows.list(account: principal.accountSid, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "flows", page: rows, request: page, path: StudioV2.path("/Flows"), filters: FormParameters([]),
            style: .v1(publicURL: publicURL, mount: StudioV2.mount)
        ) { FlowResource(flow: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let flow = try await StudioParameters.flow("FlowSid", request, context, flows)
        return JSONResponse.make(FlowResource(flow: flow, publicURL: publicURL))
    }

    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let flow = try await StudioParameters.flow("FlowSid", request, context, flows)
        let (fields, _) = try StudioParameters.fields(context.form, requireName: false, requireDefinition: false)
        guard let updated = try await flows.update(flow.flowSid, fields, account: flow.accountSid, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return JSONResponse.make(FlowResource(flow: updated, publicURL: publicURL))
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let flow = try await StudioParameters.flow("FlowSid", request, context, flows)
        guard try await flows.delete(flow.flowSid, account: flow.accountSid, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return Response(status: .noContent)
    }

    /// The flow's revisions, oldest first.
    @Sendable func revisions(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let flow = try await StudioParameters.flow("FlowSid", request, context, flows)
        let page = try PageRequest(query: context.query)
        let rows = try await flows.revisions(flow.flowSid, account: flow.accountSid, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "revisions", page: rows, request: page, path: StudioV2.path(StudioV2.flowPath(flow.flowSid) + "/Revisions"),
            filters: FormParameters([]), style: .v1(publicURL: publicURL, mount: StudioV2.mount)
        ) { FlowResource(flow: $0, publicURL: publicURL, asRevision: true) }
        return JSONResponse.make(envelope)
    }

    /// `{Revision}`: a number, `LatestRevision` or `LatestPublished`.
    @Sendable func revision(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let flow = try await StudioParameters.flow("FlowSid", request, context, flows)
        guard let selector = context.pathValue("Revision"),
            let revision = try await flows.revision(flow.flowSid, selector, account: flow.accountSid, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return JSONResponse.make(FlowResource(flow: revision, publicURL: publicURL, asRevision: true))
    }

    /// The contacts whose executions run the latest revision, draft or not.
    @Sendable func testUsers(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let flow = try await StudioParameters.flow("FlowSid", request, context, flows)
        guard let users = try await flows.testUsers(flow.flowSid, account: flow.accountSid, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return JSONResponse.make(FlowTestUsersResource(flowSid: flow.flowSid, users: users, publicURL: publicURL))
    }

    /// `TestUsers` (repeated) replaces the list.
    @Sendable func setTestUsers(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let flow = try await StudioParameters.flow("FlowSid", request, context, flows)
        let users = context.form.all("TestUsers")
        guard !users.isEmpty else { throw APIError.invalidParameter("TestUsers", "is required") }
        guard users.allSatisfy({ !$0.isEmpty && $0.count <= StudioParameters.maximumNameLength }) else {
            throw APIError.invalidParameter("TestUsers", "must be addresses of 1 to \(StudioParameters.maximumNameLength) characters")
        }
        guard try await flows.setTestUsers(users, of: flow.flowSid, account: flow.accountSid, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return JSONResponse.make(FlowTestUsersResource(flowSid: flow.flowSid, users: users, publicURL: publicURL))
    }

    /// The latest revision as SVG; `ExecutionSid` highlights the path that execution took (Parley's extension).
    @Sendable func diagram(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let flow = try await StudioParameters.flow("FlowSid", request, context, flows)
        guard let json = JSONValue(parsing: flow.definition), let definition = FlowCompiler.compile(json).definition else {
            throw APIError.internalError
        }
        var path: FlowPath?
        if let value = context.query.first("ExecutionSid") {
            guard let sid = SID(value, prefix: .flowExecution),
                try await executions.find(sid, flow: flow.flowSid, account: flow.accountSid, logger: context.logger) != nil
            else { throw APIError.invalidParameter("ExecutionSid", "must be an execution of this flow") }
            // Every step, page by page: the step limit is the operator's to raise.
            var steps: [FlowStepRecord] = []
            var cursor = PageCursor.start
            while true {
                let page = try await executions.steps(
                    execution: sid, flow: flow.flowSid, account: flow.accountSid, cursor: cursor, pageSize: PageRequest.maximumSize,
                    logger: context.logger)
                steps += page.items
                guard page.hasMore, let last = page.lastSequence else { break }
                cursor = .after(last)
            }
            path = StudioParameters.path(steps)
        }
        var headers = HTTPFields()
        headers[.contentType] = "image/svg+xml; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: FlowDiagram.svg(for: definition, highlighting: path))))
    }
}
