/// What an execution knows: the flow and contact addresses, the trigger, `flow.data`, `flow.variables` and every
/// widget's outputs. Templates read it as Liquid variables; the Context endpoint shows it as JSON.
public struct ExecutionContext: Sendable, Hashable {
    public var flowSid: String
    public var executionSid: String
    /// `flow.channel.address`: Parley's side (the number the flow sends from).
    public var flowAddress: String
    /// `contact.channel.address`: the person the execution is with.
    public var contactAddress: String
    /// `flow.data`: the REST trigger's `Parameters`.
    public var data: JSONValue
    /// `flow.variables`, written by `set-variables`.
    public var variables: [String: JSONValue]
    /// `trigger`: one member named after the trigger (`request`, `message`, `conversation`, `call`).
    public var trigger: [String: JSONValue]
    /// `widgets`: each widget's outputs from its latest run.
    public var widgets: [String: JSONValue]
    /// Why the execution ended early, when it did: `{message, widget}`.
    public var error: JSONValue?

    public init(
        flowSid: String, executionSid: String, flowAddress: String, contactAddress: String, data: JSONValue = .object([:]),
        trigger: [String: JSONValue]
    ) {
        self.flowSid = flowSid
        self.executionSid = executionSid
        self.flowAddress = flowAddress
        self.contactAddress = contactAddress
        self.data = data
        self.variables = [:]
        self.trigger = trigger
        self.widgets = [:]
        self.error = nil
    }

    /// The `flow` object as templates and the Context endpoint see it.
    var flow: JSONValue {
        .object([
            "flow_sid": .string(flowSid), "sid": .string(executionSid), "channel": .object(["address": .string(flowAddress)]),
            "data": data, "variables": .object(variables),
        ])
    }

    /// The whole context as JSON (docs/flows.md, "Context").
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "flow": flow, "contact": .object(["channel": .object(["address": .string(contactAddress)])]),
            "trigger": .object(trigger), "widgets": .object(widgets),
        ]
        if let error { members["error"] = error }
        return .object(members)
    }

    /// Reads back what ``json`` wrote; nil when it is not a context.
    public init?(json: JSONValue) {
        guard let flow = json["flow"], let flowSid = flow["flow_sid"]?.stringValue, let sid = flow["sid"]?.stringValue,
            let flowAddress = flow["channel"]?["address"]?.stringValue,
            let contactAddress = json["contact"]?["channel"]?["address"]?.stringValue
        else { return nil }
        self.init(
            flowSid: flowSid, executionSid: sid, flowAddress: flowAddress, contactAddress: contactAddress,
            data: flow["data"] ?? .object([:]), trigger: json["trigger"]?.objectValue ?? [:])
        variables = flow["variables"]?.objectValue ?? [:]
        widgets = json["widgets"]?.objectValue ?? [:]
        error = json["error"]
    }
}

extension ExecutionContext: LiquidVariables {
    public func value(named name: String) -> JSONValue? {
        switch name {
        case "flow": flow
        case "widgets": .object(widgets)
        case "trigger": .object(trigger)
        case "contact": .object(["channel": .object(["address": .string(contactAddress)])])
        default: nil
        }
    }
}
