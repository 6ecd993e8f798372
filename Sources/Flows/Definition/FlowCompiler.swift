import Foundation

/// Checks a Studio flow definition and compiles it into a ``FlowProgram``, reporting every problem it finds (not
/// just the first), each with a message naming the state and property and a JSON pointer to it.
public enum FlowCompiler {
    /// The only `$schema` Studio writes.
    static let schema = "https://schemas.twilio.com/studio/draft/2019-09/flow-definition"
    static let maximumStates = 1000

    /// Compiles `json` (the parsed `Definition`). The program is present exactly when there are no problems.
    public static func compile(_ json: JSONValue) -> FlowCompilation {
        var problems = ProblemList()
        guard let shape = read(json, &problems) else {
            return FlowCompilation(definition: nil, program: nil, problems: problems.items)
        }
        let (definition, positions) = shape
        let indexes = stateIndexes(definition, positions, &problems)
        var states: [CompiledState] = []
        for (index, state) in definition.states.enumerated() {
            var compiler = StateCompiler(state: state, path: "#/states/\(positions[index])", indexes: indexes, problems: problems)
            if let compiled = compiler.compile() { states.append(compiled) }
            problems = compiler.problems
        }
        let initial = indexes[definition.initialState]
        if initial == nil, !definition.initialState.isEmpty {
            problems.add("initial_state '\(definition.initialState)' is not a state", at: "#/initial_state")
        }
        // Without problems no state was dropped, so the indexes in `indexes` are the program's.
        guard problems.items.isEmpty, let initial else {
            return FlowCompilation(definition: definition, program: nil, problems: problems.items)
        }
        let program = FlowProgram(states: states, initialState: initial, allowsConcurrentCalls: definition.allowsConcurrentCalls)
        return FlowCompilation(definition: definition, program: program, problems: [])
    }

    /// The definition's overall shape, with the position in `states` of each state read (a state that cannot be
    /// read is left out, and the paths of the others must not shift); nil when it cannot be read at all.
    static func read(_ json: JSONValue, _ problems: inout ProblemList) -> (FlowDefinition, positions: [Int])? {
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
        var initialState = ""
        switch root["initial_state"] {
        case .string(let name)? where !name.isEmpty: initialState = name
        case nil, .string?: problems.add("initial_state is required", at: "#/initial_state")
        default: problems.add("initial_state must be a state name", at: "#/initial_state")
        }
        guard case .array(let elements)? = root["states"] else {
            problems.add("states must be an array", at: "#/states")
            return nil
        }
        if elements.isEmpty || elements.count > maximumStates {
            problems.add("states must have 1 to \(maximumStates) states", at: "#/states")
        }
        var states: [FlowDefinition.State] = []
        var positions: [Int] = []
        for (position, element) in elements.enumerated() {
            guard let state = readState(element, path: "#/states/\(position)", &problems) else { continue }
            states.append(state)
            positions.append(position)
        }
        let definition = FlowDefinition(
            description: root["description"]?.stringValue, initialState: initialState, allowsConcurrentCalls: concurrentCalls, states: states)
        return (definition, positions)
    }

    private static func readState(_ json: JSONValue, path: String, _ problems: inout ProblemList) -> FlowDefinition.State? {
        guard case .object(let members) = json else {
            problems.add("a state must be an object", at: path)
            return nil
        }
        let name = members["name"]?.stringValue ?? ""
        if name.isEmpty { problems.add("a state needs a name", at: path + "/name") }
        guard let type = members["type"]?.stringValue, !type.isEmpty else {
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
                if let transition = readTransition(element, of: name, at: at, &problems) { transitions.append(transition) }
            }
        case nil: break
        default: problems.add("state '\(name)': transitions must be an array", at: path + "/transitions")
        }
        return FlowDefinition.State(name: name, type: type, properties: properties, transitions: transitions)
    }

    /// `{event, next?, conditions?}`; an empty or null `next` ends the branch.
    private static func readTransition(
        _ json: JSONValue, of state: String, at path: String, _ problems: inout ProblemList
    ) -> FlowDefinition.Transition? {
        guard case .object = json else {
            problems.add("state '\(state)': a transition must be an object", at: path)
            return nil
        }
        guard let event = json["event"]?.stringValue, !event.isEmpty else {
            problems.add("state '\(state)': a transition needs an event", at: path + "/event")
            return nil
        }
        var next: String?
        switch json["next"] {
        case .string(let name)? where !name.isEmpty: next = name
        case nil, .null?, .string?: break
        default: problems.add("state '\(state)' transition '\(event)': next must be a state name", at: path + "/next")
        }
        var conditions: [JSONValue] = []
        switch json["conditions"] {
        case .array(let elements)?: conditions = elements
        case nil, .null?: break
        default: problems.add("state '\(state)' transition '\(event)': conditions must be an array", at: path + "/conditions")
        }
        return FlowDefinition.Transition(event: event, next: next, conditions: conditions)
    }

    /// State names to indexes, reporting duplicates.
    private static func stateIndexes(_ definition: FlowDefinition, _ positions: [Int], _ problems: inout ProblemList) -> [String: Int] {
        var indexes: [String: Int] = [:]
        for (index, state) in definition.states.enumerated() where !state.name.isEmpty {
            if let first = indexes[state.name] {
                problems.add("duplicate state name '\(state.name)' (also #/states/\(positions[first]))", at: "#/states/\(positions[index])/name")
            } else {
                indexes[state.name] = index
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
    /// Every problem, in the order found.
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
