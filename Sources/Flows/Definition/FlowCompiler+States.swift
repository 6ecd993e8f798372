import Foundation

/// Compiles one state: its type, transitions and properties, adding what is wrong to `problems`.
struct StateCompiler {
    let state: FlowDefinition.State
    let path: String
    let indexes: [String: Int]
    var problems: ProblemList

    private var label: String { "state '\(state.name)' (\(state.type))" }

    mutating func compile() -> CompiledState? {
        guard let events = WidgetCatalogue.events[state.type] else {
            problems.add("state '\(state.name)': unknown widget type '\(state.type)'", at: path + "/type")
            return nil
        }
        var transitions: [String: Int?] = [:]
        var branches: [SplitBranch] = []
        for (position, transition) in state.transitions.enumerated() {
            let at = "\(path)/transitions/\(position)"
            if !events.contains(transition.event) {
                problems.add("\(label): unknown event '\(transition.event)' (it has \(events.sorted().joined(separator: ", ")))", at: at + "/event")
            }
            var next: Int?
            if let name = transition.next {
                next = indexes[name]
                if next == nil { problems.add("\(label) transition '\(transition.event)' goes to '\(name)', which is not a state", at: at + "/next") }
            }
            if state.type == "split-based-on", transition.event == "match" {
                branches.append(SplitBranch(conditions: conditions(transition.conditions, at: at + "/conditions"), next: next))
            } else {
                if !transition.conditions.isEmpty { problems.add("\(label): only a split's match transitions have conditions", at: at + "/conditions") }
                transitions[transition.event] = next
            }
        }
        for alternatives in WidgetCatalogue.required[state.type] ?? [] where !alternatives.contains(where: { state.properties[$0] != nil }) {
            let names = alternatives.map { "'\($0)'" }.joined(separator: " or ")
            problems.add("\(label): property \(names) is required", at: "\(path)/properties/\(alternatives[0])")
        }
        guard let widget = widget(branches: branches) else { return nil }
        return CompiledState(name: state.name, type: state.type, widget: widget, transitions: transitions)
    }

    private mutating func widget(branches: [SplitBranch]) -> Widget? {
        if WidgetCatalogue.unsupported.contains(state.type) { return .unsupported }
        if let kind = VoiceWidgetKind(rawValue: state.type) {
            var properties: [String: LiquidTemplate] = [:]
            for (name, value) in state.properties where name != "offset" {
                guard let text = Self.text(value) else { continue }
                if let template = template(text, name) { properties[name] = template }
            }
            return .voice(VoiceWidget(kind: kind, properties: properties))
        }
        switch state.type {
        case "trigger":
            return .trigger
        case "split-based-on":
            return .splitBasedOn(SplitBasedOn(input: property("input") ?? Self.empty, branches: branches))
        case "set-variables":
            return .setVariables(assignments())
        case "make-http-request":
            let method = (state.properties["method"]?.stringValue ?? "GET").uppercased()
            if !["GET", "POST", "PUT", "PATCH", "DELETE"].contains(method) {
                problems.add("\(label): property 'method' must be GET, POST, PUT, PATCH or DELETE", at: path + "/properties/method")
            }
            let contentType = (state.properties["content_type"]?.stringValue ?? "").lowercased()
            let encoding: HTTPRequestWidget.BodyEncoding = contentType.hasPrefix("application/json") ? .json : .form
            if !contentType.isEmpty, !contentType.hasPrefix("application/json"), !contentType.hasPrefix("application/x-www-form-urlencoded") {
                problems.add("\(label): property 'content_type' must be application/x-www-form-urlencoded or application/json", at: path + "/properties/content_type")
            }
            return .makeHTTPRequest(HTTPRequestWidget(
                method: method, url: property("url") ?? Self.empty, encoding: encoding, body: property("body"), parameters: parameters()))
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
            return .unsupported
        }
    }

    // MARK: - Properties

    static let empty = try! LiquidTemplate("")
    static let flowAddress = try! LiquidTemplate("{{flow.channel.address}}")
    static let contactAddress = try! LiquidTemplate("{{contact.channel.address}}")
    static let defaultTimeout = try! LiquidTemplate("3600")

    /// A property's text: strings as they are, numbers and booleans as JSON writes them.
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .integer, .double, .bool: value.jsonText
        default: nil
        }
    }

    private mutating func property(_ name: String) -> LiquidTemplate? {
        guard let value = state.properties[name] else { return nil }
        guard let text = Self.text(value) else {
            problems.add("\(label): property '\(name)' must be a string", at: "\(path)/properties/\(name)")
            return nil
        }
        return template(text, name)
    }

    private mutating func template(_ text: String, _ property: String, at explicitPath: String? = nil) -> LiquidTemplate? {
        do {
            return try LiquidTemplate(text)
        } catch {
            problems.add("\(label) property '\(property)': \(error.message)", at: explicitPath ?? "\(path)/properties/\(property)")
            return nil
        }
    }

    /// `parameters`: `[{key, value}]`.
    private mutating func parameters() -> [TemplatedParameter] {
        guard let value = state.properties["parameters"] else { return [] }
        guard case .array(let elements) = value else {
            problems.add("\(label): property 'parameters' must be an array of {key, value}", at: path + "/properties/parameters")
            return []
        }
        var parameters: [TemplatedParameter] = []
        for (position, element) in elements.enumerated() {
            let at = "\(path)/properties/parameters/\(position)"
            guard let key = element["key"]?.stringValue, !key.isEmpty, let text = element["value"].flatMap(Self.text) else {
                problems.add("\(label): parameters[\(position)] needs a key and a value", at: at)
                continue
            }
            if let value = template(text, "parameters.\(key)", at: at + "/value") { parameters.append(TemplatedParameter(key: key, value: value)) }
        }
        return parameters
    }

    /// `variables`: `[{key, value, parse_as_json?}]`.
    private mutating func assignments() -> [VariableAssignment] {
        guard let value = state.properties["variables"] else { return [] }
        guard case .array(let elements) = value else {
            problems.add("\(label): property 'variables' must be an array of {key, value}", at: path + "/properties/variables")
            return []
        }
        var assignments: [VariableAssignment] = []
        for (position, element) in elements.enumerated() {
            let at = "\(path)/properties/variables/\(position)"
            guard let key = element["key"]?.stringValue, !key.isEmpty, let text = element["value"].flatMap(Self.text) else {
                problems.add("\(label): variables[\(position)] needs a key and a value", at: at)
                continue
            }
            let parsesJSON = element["parse_as_json"] == .bool(true)
            if let value = template(text, "variables.\(key)", at: at + "/value") {
                assignments.append(VariableAssignment(key: key, value: value, parsesJSON: parsesJSON))
            }
        }
        return assignments
    }

    /// A match transition's conditions: `{friendly_name, arguments, type, value}`.
    private mutating func conditions(_ elements: [JSONValue], at conditionsPath: String) -> [SplitCondition] {
        var conditions: [SplitCondition] = []
        for (position, element) in elements.enumerated() {
            let at = "\(conditionsPath)/\(position)"
            let name = element["friendly_name"]?.stringValue ?? "\(position)"
            guard let type = element["type"]?.stringValue, let comparison = SplitComparison(rawValue: type) else {
                problems.add("\(label) condition '\(name)': unknown operator '\(element["type"]?.stringValue ?? "")'", at: at + "/type")
                continue
            }
            let text = element["value"].flatMap(Self.text) ?? ""
            if let problem = comparison.problem(with: text) { problems.add("\(label) condition '\(name)' \(problem)", at: at + "/value") }
            if let value = template(text, "conditions.\(name)", at: at + "/value") {
                conditions.append(SplitCondition(friendlyName: name, comparison: comparison, value: value))
            }
        }
        return conditions
    }
}
