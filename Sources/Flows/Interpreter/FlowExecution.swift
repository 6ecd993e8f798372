import Foundation

/// An execution's whole state between steps: its context, where it stands and its counters. The runtime saves it
/// (as ``json``) after every advance and reads it back to resume, possibly in another process.
public struct FlowExecution: Sendable, Hashable {
    public var context: ExecutionContext
    /// Steps run so far (checked against ``FlowLimits/maximumSteps``).
    public internal(set) var stepCount: Int
    /// What the execution waits for; nil once it has ended (or before it started).
    public internal(set) var pending: PendingEffect?
    /// Whether the execution has ended.
    public internal(set) var hasEnded: Bool
    /// Counts effects, so a result meant for an earlier wait is never applied to a later one.
    public internal(set) var effectSequence: Int
    /// Approximate size of the context in bytes, kept up to date step by step.
    var contextBytes: Int

    public init(context: ExecutionContext) {
        self.context = context
        self.stepCount = 0
        self.pending = nil
        self.hasEnded = false
        self.effectSequence = 0
        self.contextBytes = context.json.approximateByteCount
    }
}

/// The effect an execution waits for and what the waiting widget had rendered.
public struct PendingEffect: Sendable, Hashable, Codable {
    /// The effect's number in the execution (``FlowExecution/effectSequence``).
    public let sequence: Int
    /// The index of the waiting state.
    public let state: Int
    public let effect: FlowEffect
    /// When the widget started, for the step's timing.
    public let startedAt: Date
    /// The widget's rendered inputs (JSON text), for its step.
    let inputs: String
    /// `send-and-wait-for-reply` once its message is out: the message, and the end of the wait.
    public internal(set) var sent: FlowSentMessage?
    public internal(set) var replyDeadline: Date?
}

extension FlowExecution {
    /// The state as JSON text, for the database.
    public var json: String {
        var members: [String: JSONValue] = [
            "context": context.json, "step_count": .integer(stepCount), "ended": .bool(hasEnded),
            "effect_sequence": .integer(effectSequence),
        ]
        if let pending, let data = try? JSONEncoder().encode(pending), let value = JSONValue(parsing: String(decoding: data, as: UTF8.self)) {
            members["pending"] = value
        }
        return JSONValue.object(members).jsonText
    }

    /// Reads back what ``json`` wrote; nil when it cannot.
    public init?(json text: String) {
        guard let value = JSONValue(parsing: text), let contextJSON = value["context"],
            let context = ExecutionContext(json: contextJSON),
            case .integer(let steps)? = value["step_count"], case .bool(let ended)? = value["ended"],
            case .integer(let sequence)? = value["effect_sequence"]
        else { return nil }
        self.init(context: context)
        stepCount = steps
        hasEnded = ended
        effectSequence = sequence
        if let pendingJSON = value["pending"] {
            guard let pending = try? JSONDecoder().decode(PendingEffect.self, from: Data(pendingJSON.jsonText.utf8)) else { return nil }
            self.pending = pending
        }
    }
}

extension JSONValue {
    /// About how many bytes this takes as JSON: cheap enough to run at every step.
    var approximateByteCount: Int {
        switch self {
        case .null, .bool, .integer, .double: 8
        case .string(let value): value.utf8.count + 2
        case .array(let elements): elements.reduce(2) { $0 + $1.approximateByteCount + 1 }
        case .object(let members): members.reduce(2) { $0 + $1.key.utf8.count + 4 + $1.value.approximateByteCount }
        }
    }
}
