import Flows
import Messaging
import Platform

/// Where Twilio's Studio product lives: `/studio/v2/…` (Twilio's `https://studio.twilio.com/v2/…`).
enum StudioV2 {
    static let mount = "/studio"
    static let version = "/v2"

    static func route(_ path: String) -> String { mount + version + path }
    static func path(_ path: String) -> String { version + path }
    static func url(_ publicURL: String, _ path: String) -> String { publicURL + mount + version + path }
    static func flowPath(_ sid: SID) -> String { "/Flows/\(sid.rawValue)" }
    static func executionPath(_ flow: SID, _ execution: SID) -> String { "/Flows/\(flow.rawValue)/Executions/\(execution.rawValue)" }
}

extension JSONObjectWriter {
    /// A JSON value as a field.
    mutating func field(_ key: String, json value: JSONValue) {
        field(key, json: Array(value.jsonText.utf8))
    }
}

/// `studio.v2.flow` (with `webhook_url`, `warnings` and `links`) or `studio.v2.flow.flow_revision` (without).
struct FlowResource: JSONRepresentable {
    let flow: FlowRevision
    let publicURL: String
    /// A revision resource rather than the flow.
    var asRevision = false

    func write(to json: inout JSONObjectWriter) {
        let path = StudioV2.flowPath(flow.flowSid)
        json.field("sid", flow.flowSid.rawValue)
        json.field("account_sid", flow.accountSid.rawValue)
        json.field("author_sid", nil as String?)
        json.field("friendly_name", flow.friendlyName)
        // Stored as sent, after it compiled: it is JSON.
        json.field("definition", json: Array(flow.definition.utf8))
        json.field("status", flow.status.rawValue)
        json.field("revision", flow.revision)
        json.field("commit_message", flow.commitMessage)
        json.field("valid", true)
        json.field("errors", strings: [])
        if !asRevision { json.field("warnings", strings: []) }
        json.field("date_created", TwilioDate.iso8601(flow.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(flow.dateUpdated))
        guard !asRevision else {
            json.field("url", StudioV2.url(publicURL, path + "/Revisions/\(flow.revision)"))
            return
        }
        json.field("webhook_url", publicURL + FlowWebhookURL.path(account: flow.accountSid, flow: flow.flowSid))
        json.field("url", StudioV2.url(publicURL, path))
        json.field("links") { links in
            links.field("test_users", StudioV2.url(publicURL, path + "/TestUsers"))
            links.field("revisions", StudioV2.url(publicURL, path + "/Revisions"))
            links.field("executions", StudioV2.url(publicURL, path + "/Executions"))
        }
    }
}

/// `studio.v2.flow.test_user`.
struct FlowTestUsersResource: JSONRepresentable {
    let flowSid: SID
    let users: [String]
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        json.field("sid", flowSid.rawValue)
        json.field("test_users", strings: users)
        json.field("url", StudioV2.url(publicURL, StudioV2.flowPath(flowSid) + "/TestUsers"))
    }
}

/// `studio.v2.flow_validate`.
struct FlowValidResource: JSONRepresentable {
    func write(to json: inout JSONObjectWriter) { json.field("valid", true) }
}

/// `studio.v2.flow.execution`.
struct FlowExecutionResource: JSONRepresentable {
    let execution: FlowExecutionRecord
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        let path = StudioV2.executionPath(execution.flowSid, execution.sid)
        json.field("sid", execution.sid.rawValue)
        json.field("account_sid", execution.accountSid.rawValue)
        json.field("flow_sid", execution.flowSid.rawValue)
        json.field("contact_channel_address", execution.contactAddress)
        json.field("contact_sid", execution.contactSid)
        json.field("flow_version", execution.revision)
        json.field("context", json: execution.context)
        json.field("status", execution.status.rawValue)
        json.field("date_created", TwilioDate.iso8601(execution.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(execution.dateUpdated))
        json.field("initiated_by", execution.initiatedBy)
        json.field("url", StudioV2.url(publicURL, path))
        json.field("links") { links in
            links.field("steps", StudioV2.url(publicURL, path + "/Steps"))
            links.field("execution_context", StudioV2.url(publicURL, path + "/Context"))
        }
    }
}

/// `studio.v2.flow.execution.execution_context`.
struct FlowExecutionContextResource: JSONRepresentable {
    let execution: FlowExecutionRecord
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        json.field("account_sid", execution.accountSid.rawValue)
        json.field("context", json: execution.context)
        json.field("flow_sid", execution.flowSid.rawValue)
        json.field("execution_sid", execution.sid.rawValue)
        json.field("url", StudioV2.url(publicURL, StudioV2.executionPath(execution.flowSid, execution.sid) + "/Context"))
    }
}

/// `studio.v2.flow.execution.execution_step`.
struct FlowStepResource: JSONRepresentable {
    let step: FlowStepRecord
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        let path = StudioV2.executionPath(step.flowSid, step.executionSid) + "/Steps/\(step.sid.rawValue)"
        json.field("sid", step.sid.rawValue)
        json.field("account_sid", step.accountSid.rawValue)
        json.field("flow_sid", step.flowSid.rawValue)
        json.field("execution_sid", step.executionSid.rawValue)
        json.field("parent_step_sid", nil as String?)
        json.field("name", step.name)
        json.field("context", json: step.context)
        json.field("transitioned_from", step.transitionedFrom)
        json.field("transitioned_to", step.transitionedTo)
        json.field("type", step.type)
        json.field("date_created", TwilioDate.iso8601(step.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(step.dateCreated))
        json.field("url", StudioV2.url(publicURL, path))
        json.field("links") { links in links.field("step_context", StudioV2.url(publicURL, path + "/Context")) }
    }
}

/// `studio.v2.flow.execution.execution_step.execution_step_context`.
struct FlowStepContextResource: JSONRepresentable {
    let step: FlowStepRecord
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        json.field("account_sid", step.accountSid.rawValue)
        json.field("context", json: step.context)
        json.field("execution_sid", step.executionSid.rawValue)
        json.field("flow_sid", step.flowSid.rawValue)
        json.field("step_sid", step.sid.rawValue)
        json.field("url", StudioV2.url(publicURL, StudioV2.executionPath(step.flowSid, step.executionSid) + "/Steps/\(step.sid.rawValue)/Context"))
    }
}
