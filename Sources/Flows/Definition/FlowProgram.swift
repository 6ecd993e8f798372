/// A validated flow, ready to run: states by index, every templated property parsed once, transitions resolved to
/// state indexes. Built by ``FlowCompiler`` from a Studio definition.
public struct FlowProgram: Sendable {
    /// The states in definition order.
    public let states: [CompiledState]
    /// The state the execution starts in (normally the trigger).
    public let initialState: Int
    /// `flags.allow_concurrent_calls`.
    public let allowsConcurrentCalls: Bool

    public init(states: [CompiledState], initialState: Int, allowsConcurrentCalls: Bool) {
        self.states = states
        self.initialState = initialState
        self.allowsConcurrentCalls = allowsConcurrentCalls
    }

    /// The index of the state named `name`.
    public func index(of name: String) -> Int? { states.firstIndex { $0.name == name } }
}

/// One state of a ``FlowProgram``.
public struct CompiledState: Sendable {
    public let name: String
    /// The Studio widget type as written (`send-message`, …).
    public let type: String
    public let widget: Widget
    /// Where each event leads: a state index, or nil for "end of branch". Events the definition does not list
    /// are absent, which also ends the execution.
    public let transitions: [String: Int?]

    public init(name: String, type: String, widget: Widget, transitions: [String: Int?]) {
        self.name = name
        self.type = type
        self.widget = widget
        self.transitions = transitions
    }

    /// The state `event` leads to; nil when the branch ends there.
    public func next(after event: String) -> Int? { transitions[event] ?? nil }
}
