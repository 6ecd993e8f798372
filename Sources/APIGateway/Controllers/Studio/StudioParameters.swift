import Flows
import Foundation
import Hummingbird
import Messaging
import Platform

/// Reading Studio's requests: the flows and executions their paths name, definitions (checked by the compiler) and
/// the engine's refusals as Twilio's errors.
enum StudioParameters {
    static let maximumNameLength = 256

    /// The caller's flow that `{name}` names; 404 otherwise.
    static func flow(_ name: String, _ request: Request, _ context: GatewayRequestContext, _ flows: FlowRepository) async throws -> FlowRevision {
        let principal = try context.requirePrincipal()
        guard let sid = context.pathValue(name).flatMap({ SID($0, prefix: .flow) }),
            let flow = try await flows.find(sid, account: principal.accountSid, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return flow
    }

    /// The caller's execution of the flow in the path; 404 otherwise.
    static func execution(
        _ name: String, _ request: Request, _ context: GatewayRequestContext, _ executions: FlowExecutionRepository
    ) async throws -> FlowExecutionRecord {
        let principal = try context.requirePrincipal()
        guard let flow = context.pathValue("FlowSid").flatMap({ SID($0, prefix: .flow) }),
            let sid = context.pathValue(name).flatMap({ SID($0, prefix: .flowExecution) }),
            let execution = try await executions.find(sid, flow: flow, account: principal.accountSid, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return execution
    }

    /// The fields of a create, update or validate request. `Definition` must compile: anything wrong is 400/81022
    /// with every problem in `details.errors`.
    static func fields(_ form: FormParameters, requireName: Bool, requireDefinition: Bool) throws -> (FlowFields, FlowCompilation?) {
        guard let statusText = form.first("Status") else { throw APIError.invalidParameter("Status", "is required") }
        guard let status = FlowStatus(rawValue: statusText) else { throw APIError.invalidParameter("Status", "must be draft or published") }
        let name = form.first("FriendlyName")
        if requireName, name?.isEmpty ?? true { throw APIError.invalidParameter("FriendlyName", "is required") }
        if let name, name.count > maximumNameLength { throw APIError.invalidFriendlyName(maximumLength: maximumNameLength) }
        let definition = form.first("Definition")
        if requireDefinition, definition == nil { throw APIError.invalidParameter("Definition", "is required") }
        var compilation: FlowCompilation?
        if let definition {
            guard let json = JSONValue(parsing: definition) else {
                throw invalidDefinition([FlowProblem(message: "the definition is not JSON", propertyPath: "#")])
            }
            let compiled = FlowCompiler.compile(json)
            guard compiled.problems.isEmpty else { throw invalidDefinition(compiled.problems) }
            compilation = compiled
        }
        return (FlowFields(friendlyName: name, status: status, definition: definition, commitMessage: form.first("CommitMessage")), compilation)
    }

    /// 400/81022 with `details.errors`: `[{message, property_path}]`.
    static func invalidDefinition(_ problems: [FlowProblem]) -> APIError {
        var details = JSONObjectWriter()
        details.field("errors", objects: problems) { problem, object in
            object.field("message", problem.message)
            object.field("property_path", problem.propertyPath)
        }
        return APIError(status: 400, code: 81022, message: "Invalid Flow Definition", details: details.finished())
    }

    /// A REST start: `To` is the contact, `From` the flow's address, `Parameters` (a JSON object) `flow.data` and
    /// `trigger.request.parameters`.
    static func trigger(_ form: FormParameters) throws -> FlowEngine.Trigger {
        guard let to = form.first("To"), !to.isEmpty else { throw APIError.invalidParameter("To", "is required") }
        guard let from = form.first("From"), !from.isEmpty else { throw APIError.invalidParameter("From", "is required") }
        var parameters = JSONValue.object([:])
        if let text = form.first("Parameters") {
            guard let value = JSONValue(parsing: text), case .object = value else {
                throw APIError.invalidParameter("Parameters", "must be a JSON object")
            }
            parameters = value
        }
        return FlowEngine.Trigger(
            event: "incomingRequest", variables: ["request": .object(["from": .string(from), "to": .string(to), "parameters": parameters])],
            contactAddress: to, flowAddress: from, data: parameters, initiatedBy: nil)
    }

    /// The executions list's filters: `status` (twilio-python's spelling) or `Status`, `DateCreatedFrom`, `DateCreatedTo`.
    static func executionFilter(_ query: FormParameters) throws -> (status: FlowExecutionStatus?, from: Date?, to: Date?) {
        let statusName = query.first("status") != nil ? "status" : "Status"
        return (
            try query.choice(statusName, as: FlowExecutionStatus.self),
            try query.first("DateCreatedFrom").map { try ParameterValues.date("DateCreatedFrom", $0) },
            try query.first("DateCreatedTo").map { try ParameterValues.date("DateCreatedTo", $0) }
        )
    }

    /// The path an execution took, from its steps oldest first: each left `transitioned_from` with the event `name`
    /// for `transitioned_to` (`Ended`: nowhere).
    static func path(_ steps: [FlowStepRecord]) -> FlowPath {
        FlowPath(transitions: steps.map {
            FlowPath.Transition(from: $0.transitionedFrom, event: $0.name, to: $0.transitionedTo == "Ended" ? nil : $0.transitionedTo)
        })
    }

    /// The engine's refusals as Twilio's errors; other errors pass through.
    static func translate<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch FlowError.activeExecutionExists {
            throw APIError(status: 409, code: 20409, message: "The contact already has an active execution of this flow")
        } catch FlowError.invalidDefinition(let problems) {
            throw invalidDefinition(problems)
        }
    }
}
