import Flows
import Foundation
import Hummingbird
import Messaging
import Platform

/// Studio v2 `/Flows/{FlowSid}/Executions`: start one (it runs up to its first wait before the answer), list, fetch,
/// end, delete; its context, its steps and theirs. The caller's own only.
struct FlowExecutionsController: Sendable {
    let flows: FlowRepository
    let executions: FlowExecutionRepository
    let engine: FlowEngine
    let publicURL: String

    func register(on routes: RouteRegistrar) {
        let base = "/Flows/{FlowSid}/Executions"
        routes.post(StudioV2.route(base), create)
        routes.get(StudioV2.route(base), list)
        routes.get(StudioV2.route(base + "/{ExecutionSid}"), fetch)
        routes.post(StudioV2.route(base + "/{ExecutionSid}"), update)
        routes.delete(StudioV2.route(base + "/{ExecutionSid}"), delete)
        routes.get(StudioV2.route(base + "/{ExecutionSid}/Context"), context)
        routes.get(StudioV2.route(base + "/{ExecutionSid}/Steps"), steps)
        routes.get(StudioV2.route(base + "/{ExecutionSid}/Steps/{StepSid}"), step)
        routes.get(StudioV2.route(base + "/{ExecutionSid}/Steps/{StepSid}/Context"), stepContext)
    }

    /// `To` is the contact, `From` the flow's address, `Parameters` (a JSON object) becomes `flow.data`.
    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = context.form
        // Which revision runs depends on the contact (a test user runs the latest).
        guard let flowSid = context.pathValue("FlowSid").flatMap({ SID($0, prefix: .flow) }),
            let flow = try await flows.runnableRevision(flowSid, account: principal.accountSid, contact: form.first("To") ?? "", logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        let trigger = try StudioParameters.trigger(form)
        let execution = try await StudioParameters.translate { try await engine.start(flow, trigger, logger: context.logger) }
        return JSONResponse.make(FlowExecutionResource(execution: execution, publicURL: publicURL), status: .created)
    }

    /// The flow's executions, oldest first; `status` (the SDK's spelling, or `Status`), `DateCreatedFrom`,
    /// `DateCreatedTo` filter.
    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let flowSid = context.pathValue("FlowSid").flatMap({ SID($0, prefix: .flow) }),
            try await flows.find(flowSid, account: principal.accountSid, logger: context.logger) != nil
        else { throw APIError.notFound(request.uri.path) }
        let query = context.query
        let page = try PageRequest(query: query)
        let filter = try StudioParameters.executionFilter(query)
        let rows = try await executions.list(
            flow: flowSid, account: principal.accountSid, status: filter.status, createdFrom: filter.from, createdTo: filter.to,
            cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "executions", page: rows, request: page, path: StudioV2.path(StudioV2.flowPath(flowSid) + "/Executions"),
            filters: query.selecting(["status", "Status", "DateCreatedFrom", "DateCreatedTo"]), style: .v1(publicURL: publicURL, mount: StudioV2.mount)
        ) { FlowExecutionResource(execution: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let execution = try await StudioParameters.execution("ExecutionSid", request, context, executions)
        return JSONResponse.make(FlowExecutionResource(execution: execution, publicURL: publicURL))
    }

    /// `Status=ended` ends the execution where it stands (an ended one stays as it is).
    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let execution = try await StudioParameters.execution("ExecutionSid", request, context, executions)
        guard context.form.first("Status") == FlowExecutionStatus.ended.rawValue else {
            throw APIError.invalidParameter("Status", "must be ended")
        }
        try await engine.end(execution.sid, reason: nil, logger: context.logger)
        let current = try await executions.find(execution.sid, flow: execution.flowSid, account: execution.accountSid, logger: context.logger)
        guard let current else { throw APIError.notFound(request.uri.path) }
        return JSONResponse.make(FlowExecutionResource(execution: current, publicURL: publicURL))
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let execution = try await StudioParameters.execution("ExecutionSid", request, context, executions)
        guard try await executions.delete(execution.sid, flow: execution.flowSid, account: execution.accountSid, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return Response(status: .noContent)
    }

    @Sendable func context(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let execution = try await StudioParameters.execution("ExecutionSid", request, context, executions)
        return JSONResponse.make(FlowExecutionContextResource(execution: execution, publicURL: publicURL))
    }

    /// The execution's steps, oldest first.
    @Sendable func steps(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let execution = try await StudioParameters.execution("ExecutionSid", request, context, executions)
        let page = try PageRequest(query: context.query)
        let rows = try await executions.steps(
            execution: execution.sid, flow: execution.flowSid, account: execution.accountSid, cursor: page.cursor, pageSize: page.size,
            logger: context.logger)
        let envelope = ListEnvelope(
            key: "steps", page: rows, request: page, path: StudioV2.path(StudioV2.executionPath(execution.flowSid, execution.sid) + "/Steps"),
            filters: FormParameters([]), style: .v1(publicURL: publicURL, mount: StudioV2.mount)
        ) { FlowStepResource(step: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func step(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        JSONResponse.make(FlowStepResource(step: try await step("StepSid", request, context), publicURL: publicURL))
    }

    @Sendable func stepContext(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        JSONResponse.make(FlowStepContextResource(step: try await step("StepSid", request, context), publicURL: publicURL))
    }

    /// The step `{name}` of the execution in the path; 404 otherwise.
    private func step(_ name: String, _ request: Request, _ context: GatewayRequestContext) async throws -> FlowStepRecord {
        let execution = try await StudioParameters.execution("ExecutionSid", request, context, executions)
        guard let sid = context.pathValue(name).flatMap({ SID($0, prefix: .flowStep) }),
            let step = try await executions.step(sid, execution: execution.sid, flow: execution.flowSid, account: execution.accountSid, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return step
    }
}
