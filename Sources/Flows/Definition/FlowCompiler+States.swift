import Foundation

/// Compiles one state: its type, transitions and properties, adding what is wrong to `problems`.
struct StateCompiler {
    let state: FlowDefinition.State
    /// The state's JSON pointer, `#/states/3`.
    let path: String
    let indexes: [String: Int]
    var problems: ProblemList

    /// How messages name the state: `state 'http_1' (make-http-request)`.
    var label: String { "state '\(state.name)' (\(state.type))" }

    mutating func compile() -> CompiledState? {
        guard let entry = WidgetCatalogue.entries[state.type] else {
            problems.add("state '\(state.name)': unknown widget type '\(state.type)'", at: path + "/type")
            return nil
        }
        var transitions: [String: Int?] = [:]
        var branches: [SplitBranch] = []
        for (position, transition) in state.transitions.enumerated() {
            let at = "\(path)/transitions/\(position)"
            if !entry.events.contains(transition.event) {
                problems.add("\(label): unknown event '\(transition.event)' (it has \(entry.events.joined(separator: ", ")))", at: at + "/event")
            }
            var next: Int?
            if let name = transition.next {
                next = indexes[name]
                if next == nil { problems.add("\(label) transition '\(transition.event)' goes to '\(name)', which is not a state", at: at + "/next") }
            }
            if state.type == "split-based-on", transition.event == "match" {
                branches.append(SplitBranch(conditions: conditions(transition.conditions, at: at + "/conditions"), next: next))
            } else {
                if !transition.conditions.isEmpty {
                    problems.add("\(label): only a split's match transitions have conditions", at: at + "/conditions")
                }
                transitions[transition.event] = next
            }
        }
        // A null property is as good as absent (as in `property(_:)`).
        for alternatives in entry.required where !alternatives.contains(where: { (state.properties[$0] ?? .null) != .null }) {
            let names = alternatives.map { "'\($0)'" }.joined(separator: " or ")
            problems.add("\(label): property \(names) is required", at: "\(path)/properties/\(alternatives[0])")
        }
        let widget = entry.isSupported ? widget(branches: branches) : .unsupported
        return CompiledState(name: state.name, type: state.type, widget: widget, transitions: transitions)
    }

    private mutating func widget(branches: [SplitBranch]) -> Widget {
        if let kind = VoiceWidgetKind(rawValue: state.type) { return .voice(voiceWidget(kind)) }
        switch state.type {
        case "split-based-on":
            return .splitBasedOn(SplitBasedOn(input: property("input") ?? Self.empty, branches: branches))
        case "set-variables":
            return .setVariables(assignments())
        case "make-http-request":
            return .makeHTTPRequest(HTTPRequestWidget(
                method: method(), url: property("url") ?? Self.empty, encoding: encoding(), body: property("body"), parameters: parameters()))
        case "run-function":
            return .runFunction(RunFunctionWidget(url: property("url") ?? Self.empty, parameters: parameters()))
        case "send-message":
            return .sendMessage(SendMessageWidget(
                from: property("from") ?? Self.flowAddress, to: property("to") ?? Self.contactAddress, body: property("body") ?? Self.empty,
                mediaURL: property("media_url")))
        case "send-and-wait-for-reply":
            return .sendAndWaitForReply(SendAndWaitWidget(
                from: property("from") ?? Self.flowAddress, body: property("body") ?? Self.empty, mediaURL: property("media_url"),
                timeout: property("timeout") ?? Self.defaultTimeout))
        default:
            // The trigger: its only property is the offset.
            return .trigger
        }
    }

    /// Every string, number or boolean property as a template (the widget renders the ones it uses).
    private mutating func voiceWidget(_ kind: VoiceWidgetKind) -> VoiceWidget {
        var properties: [String: LiquidTemplate] = [:]
        for (name, value) in state.properties where name != "offset" {
            guard let text = Self.text(value) else { continue }
            if let template = template(text, "property '\(name)'", at: "\(path)/properties/\(name)") { properties[name] = template }
        }
        if kind == .forkStream, let action = state.properties["stream_action"], action != .string("start"), action != .string("stop") {
            problems.add("\(label): property 'stream_action' must be start or stop", at: path + "/properties/stream_action")
        }
        return VoiceWidget(kind: kind, properties: properties)
    }

    private mutating func method() -> String {
        guard let value = state.properties["method"] else { return "GET" }
        let method = value.stringValue?.uppercased() ?? ""
        if !Self.methods.contains(method) {
            problems.add("\(label): property 'method' must be GET, POST, PUT, PATCH or DELETE", at: path + "/properties/method")
        }
        return method
    }

    private mutating func encoding() -> HTTPRequestWidget.BodyEncoding {
        guard let value = state.properties["content_type"] else { return .form }
        // Studio writes `…;charset=utf-8`; the bare type is accepted too.
        let parts = (value.stringValue ?? "").lowercased().split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        switch parts {
        case ["application/x-www-form-urlencoded"], ["application/x-www-form-urlencoded", "charset=utf-8"]: return .form
        case ["application/json"], ["application/json", "charset=utf-8"]: return .json
        default:
            problems.add(
                "\(label): property 'content_type' must be application/x-www-form-urlencoded;charset=utf-8 or application/json;charset=utf-8",
                at: path + "/properties/content_type")
            return .form
        }
    }

    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE"]
}
