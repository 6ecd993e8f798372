/// What Parley knows of each Studio widget type: the events it ends with, the properties it cannot do without and
/// whether Parley can run it. The compiler checks definitions against it; the diagram asks it for a type's events.
public enum WidgetCatalogue {
    /// One widget type.
    public struct Entry: Sendable {
        /// The transition events, in the order Studio exports them.
        public let events: [String]
        /// Required properties; an inner list means "one of these" (`say` or `play`).
        public let required: [[String]]
        /// False for Studio products Parley does not have (`send-to-flex`, …): valid in a definition, a failed step
        /// when run.
        public let isSupported: Bool

        init(_ events: [String], required: [[String]] = [], isSupported: Bool = true) {
            self.events = events
            self.required = required
            self.isSupported = isSupported
        }
    }

    /// Every widget type a definition may use, by its Studio `type`.
    public static let entries: [String: Entry] = [
        "trigger": Entry(["incomingMessage", "incomingCall", "incomingConversationMessage", "incomingRequest", "incomingParent"]),
        "split-based-on": Entry(["noMatch", "match"], required: [["input"]]),
        "set-variables": Entry(["next"]),
        "make-http-request": Entry(["success", "failed"], required: [["url"]]),
        "run-function": Entry(["success", "fail"], required: [["url"]]),
        "send-message": Entry(["sent", "failed"], required: [["body"]]),
        "send-and-wait-for-reply": Entry(["incomingMessage", "timeout", "deliveryFailure"], required: [["body"]]),
        "say-play": Entry(["audioComplete"], required: [["say", "play"]]),
        "gather-input-on-call": Entry(["keypress", "speech", "timeout"]),
        "record-voicemail": Entry(["recordingComplete", "noAudio", "hangup"]),
        "connect-call-to": Entry(["callCompleted", "hangup"], required: [["to"]]),
        "enqueue-call": Entry(["callComplete", "failedToEnqueue", "callFailure"], required: [["queue_name", "workflow_sid"]]),
        "fork-stream": Entry(["next"], required: [["stream_action"]]),
        "add-twiml-redirect": Entry(["return", "timeout", "fail"], required: [["url"]]),
        "make-outgoing-call-v2": Entry(["answered", "busy", "noAnswer", "failed"]),
        "record-call": Entry(["success", "failed"]),
        "capture-payments": Entry(["success", "maxFailedAttempts", "providerError", "payInterrupted", "hangup", "validationError"]),
        "send-to-flex": Entry(["callComplete", "failedToEnqueue", "callFailure"], isSupported: false),
        "run-subflow": Entry(["completed", "failed"], isSupported: false),
        "connect-virtual-agent": Entry(["return", "hangup"], isSupported: false),
        "send-to-auto-pilot": Entry(["sessionEnded", "failure", "timeout"], isSupported: false),
        "make-outgoing-call-v1": Entry(["answered", "busy", "noAnswer", "failed", "answeredByMachine", "hangup"], isSupported: false),
    ]

    /// The events of widget type `type` in Studio's order; nil for a type Parley does not know.
    public static func events(of type: String) -> [String]? { entries[type]?.events }
}
