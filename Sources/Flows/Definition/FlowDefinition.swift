/// A Studio flow definition as written: states in order, with their properties untyped. ``FlowCompiler`` checks
/// it and turns it into a ``FlowProgram``; the diagram draws it.
public struct FlowDefinition: Sendable {
    public let description: String?
    public let initialState: String
    public let allowsConcurrentCalls: Bool
    public let states: [State]

    /// One state (widget) as written.
    public struct State: Sendable {
        public let name: String
        public let type: String
        public let properties: [String: JSONValue]
        public let transitions: [Transition]
        public init(name: String, type: String, properties: [String: JSONValue], transitions: [Transition]) {
            self.name = name
            self.type = type
            self.properties = properties
            self.transitions = transitions
        }
    }

    /// `{event, next, conditions}`; `next` is nil when absent or empty (the branch ends).
    public struct Transition: Sendable {
        public let event: String
        public let next: String?
        public let conditions: [JSONValue]
        public init(event: String, next: String?, conditions: [JSONValue]) {
            self.event = event
            self.next = next
            self.conditions = conditions
        }
    }

    public init(description: String?, initialState: String, allowsConcurrentCalls: Bool, states: [State]) {
        self.description = description
        self.initialState = initialState
        self.allowsConcurrentCalls = allowsConcurrentCalls
        self.states = states
    }
}
