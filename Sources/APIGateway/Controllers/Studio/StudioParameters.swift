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
