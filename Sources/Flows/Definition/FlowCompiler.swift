import Foundation

/// Checks a Studio flow definition and compiles it into a ``FlowProgram``, reporting every problem it finds.
public enum FlowCompiler {
    /// The only `$schema` Studio writes.
    static let schema = "https://schemas.twilio.com/studio/draft/2019-09/flow-definition"
    static let maximumStates = 1000

    /// Compiles `json` (the parsed `Definition`).
    public static func compile(_ json: JSONValue) -> FlowCompilation {
        var problems = ProblemList()
        guard let definition = read(json, &problems) else {
            return FlowCompilation(definition: nil, program: nil, problems: problems.items)
        }
        let indexes = stateIndexes(definition, &problems)
        var states: [CompiledState] = []
        for (position, state) in definition.states.enumerated() {
            var compiler = StateCompiler(state: state, path: "#/states/\(position)", indexes: indexes, problems: problems)
            if let compiled = compiler.compile() { states.append(compiled) }
            problems = compiler.problems
        }
        let initial = indexes[definition.initialState]
        if initial == nil, !definition.initialState.isEmpty {
            problems.add("initial_state '\(definition.initialState)' is not a state", at: "#/initial_state")
        }
        guard problems.items.isEmpty, let initial else {
            return FlowCompilation(definition: definition, program: nil, problems: problems.items)
        }
        let program = FlowProgram(states: states, initialState: initial, allowsConcurrentCalls: definition.allowsConcurrentCalls)
        return FlowCompilation(definition: definition, program: program, problems: [])
    }

    /// The definition's overall shape; nil when it cannot be read at all.
    static func read(_ json: JSONValue, _ problems: inout ProblemList) -> FlowDefinition? {
        guard case .object(let root) = json else {
            problems.add("the definition must be a JSON object", at: "#")
            return nil
        }
        if let description = root["description"], description.stringValue == nil {
            problems.add("description must be a string", at: "#/description")
        }
        if let schema = root["$schema"], schema.stringValue != Self.schema {
            problems.add("$schema must be \(Self.schema)", at: "#/$schema")
        }
        var concurrentCalls = false
        if let flags = root["flags"] {
            if case .bool(let value)? = flags["allow_concurrent_calls"] {
                concurrentCalls = value
            } else {
                problems.add("flags must be an object with a boolean allow_concurrent_calls", at: "#/flags")
            }
        }
        let initialState = root["initial_state"]?.stringValue ?? ""
        if initialState.isEmpty { problems.add("initial_state is required", at: "#/initial_state") }
        guard case .array(let elements)? = root["states"] else {
            problems.add("states must be an array", at: "#/states")
            return nil
        }
        if elements.isEmpty || elements.count > maximumStates {
            problems.add("states must have 1 to \(maximumStates) states", at: "#/states")
        }
        var states: [FlowDefinition.State] = []
        for (position, element) in elements.enumerated() {
            if let state = readState(element, path: "#/states/\(position)", &problems) { states.append(state) }
        }
        return FlowDefinition(
            description: root["description"]?.stringValue, initialState: initialState, allowsConcurrentCalls: concurrentCalls, states: states)
    }

    private static func readState(_ json: JSONValue, path: String, _ problems: inout ProblemList) -> FlowDefinition.State? {
        guard case .object(let members) = json else {
            problems.add("a state must be an object", at: path)
            return nil
        }
        let name = members["name"]?.stringValue ?? ""
        if name.isEmpty { problems.add("a state needs a name", at: path + "/name") }
        guard let type = members["type"]?.stringValue else {
            problems.add("state '\(name)' needs a type", at: path + "/type")
            return nil
        }
        var properties: [String: JSONValue] = [:]
        switch members["properties"] {
        case .object(let value)?: properties = value
        case nil: break
        default: problems.add("state '\(name)': properties must be an object", at: path + "/properties")
        }
        var transitions: [FlowDefinition.Transition] = []
        switch members["transitions"] {
        case .array(let elements)?:
            for (position, element) in elements.enumerated() {
                let at = "\(path)/transitions/\(position)"
                guard let event = element["event"]?.stringValue, !event.isEmpty else {
                    problems.add("state '\(name)': a transition needs an event", at: at + "/event")
                    continue
                }
                var next = element["next"]?.stringValue
                if next?.isEmpty == true { next = nil }
                if let value = element["next"], value.stringValue == nil, value != .null {
                    problems.add("state '\(name)' transition '\(event)': next must be a state name", at: at + "/next")
                }
                transitions.append(FlowDefinition.Transition(event: event, next: next, conditions: element["conditions"]?.arrayValue ?? []))
            }
        case nil: break
        default: problems.add("state '\(name)': transitions must be an array", at: path + "/transitions")
        }
        return FlowDefinition.State(name: name, type: type, properties: properties, transitions: transitions)
    }

    /// State names to indexes, reporting duplicates.
    private static func stateIndexes(_ definition: FlowDefinition, _ problems: inout ProblemList) -> [String: Int] {
        var indexes: [String: Int] = [:]
        for (position, state) in definition.states.enumerated() where !state.name.isEmpty {
            if let first = indexes[state.name] {
                problems.add("duplicate state name '\(state.name)' (also #/states/\(first))", at: "#/states/\(position)/name")
            } else {
                indexes[state.name] = position
            }
        }
        return indexes
    }
}

/// What ``FlowCompiler/compile(_:)`` found.
public struct FlowCompilation: Sendable {
    /// The definition as written, when its overall shape could be read (also when it has problems).
    public let definition: FlowDefinition?
    /// The runnable program: present exactly when `problems` is empty.
    public let program: FlowProgram?
    public let problems: [FlowProblem]
    public init(definition: FlowDefinition?, program: FlowProgram?, problems: [FlowProblem]) {
        self.definition = definition
        self.program = program
        self.problems = problems
    }
}

/// One thing wrong with a definition: a message naming the state and property, and the JSON pointer to it
/// (`#/states/3/properties/url`).
public struct FlowProblem: Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public let propertyPath: String
    public init(message: String, propertyPath: String) {
        self.message = message
        self.propertyPath = propertyPath
    }
    public var description: String { "\(propertyPath): \(message)" }
}

/// Problems in the order found.
struct ProblemList {
    private(set) var items: [FlowProblem] = []
    mutating func add(_ message: String, at path: String) { items.append(FlowProblem(message: message, propertyPath: path)) }
}
