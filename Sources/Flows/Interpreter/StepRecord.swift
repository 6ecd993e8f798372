import Foundation

/// One widget run: the widget, the event it ended with and where that led. The runtime stores it as a Step.
public struct StepRecord: Sendable, Hashable {
    public let widget: String
    public let type: String
    /// The event the widget ended with (the step's `name`); `failed` when the step failed.
    public let event: String
    /// The next widget's name; nil when the execution ended here (`Ended`).
    public let next: String?
    /// The widget's rendered properties.
    public let inputs: JSONValue
    /// What the widget added to `widgets.NAME`; nil when nothing.
    public let outputs: JSONValue?
    /// Why the step failed, when it did (the execution ended).
    public let error: String?
    public let startedAt: Date
    public let finishedAt: Date

    /// The step's context (docs/flows.md, "Steps").
    public var context: JSONValue {
        var members: [String: JSONValue] = [
            "widget": .string(widget), "type": .string(type), "event": .string(event), "inputs": inputs,
            "outputs": outputs ?? .object([:]),
            "timing": .object([
                "started_at": .string(Self.timestamp(startedAt)), "finished_at": .string(Self.timestamp(finishedAt)),
                "duration_ms": .double((finishedAt.timeIntervalSince(startedAt) * 1_000_000).rounded() / 1000),
            ]),
        ]
        if let error { members["error"] = .object(["message": .string(error)]) }
        return .object(members)
    }

    /// ISO 8601 with milliseconds, in UTC.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
