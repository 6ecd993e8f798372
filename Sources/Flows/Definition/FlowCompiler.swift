/// Checks a Studio flow definition and compiles it into a ``FlowProgram``.
/// (Placeholder until the validator lands: structure only.)
public enum FlowCompiler {
    /// Compiles `json` (the parsed `Definition`); every problem found is reported, not just the first.
    public static func compile(_ json: JSONValue) -> FlowCompilation {
        FlowCompilation(definition: nil, program: nil, problems: [FlowProblem(message: "not implemented", propertyPath: "#")])
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
