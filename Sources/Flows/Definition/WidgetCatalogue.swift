/// What Parley knows of each Studio widget type: the events it ends with and the properties it needs.
public enum WidgetCatalogue {
    /// The transition events of each widget type.
    public static let events: [String: Set<String>] = [
        "trigger": ["incomingMessage", "incomingCall", "incomingConversationMessage", "incomingRequest", "incomingParent"],
        "split-based-on": ["match", "noMatch"],
        "set-variables": ["next"],
        "make-http-request": ["success", "failed"],
        "run-function": ["success", "fail"],
        "send-message": ["sent", "failed"],
        "send-and-wait-for-reply": ["incomingMessage", "timeout", "deliveryFailure"],
        "say-play": ["audioComplete"],
        "gather-input-on-call": ["keypress", "speech", "timeout"],
        "record-voicemail": ["recordingComplete", "noAudio", "hangup"],
        "connect-call-to": ["callCompleted", "hangup"],
        "enqueue-call": ["callComplete", "failedToEnqueue", "callFailure"],
        "fork-stream": ["next"],
        "add-twiml-redirect": ["return", "timeout", "fail"],
        "make-outgoing-call-v2": ["answered", "busy", "noAnswer", "failed"],
        "record-call": ["success", "failed"],
        "capture-payments": ["success", "maxFailedAttempts", "providerError", "payInterrupted", "hangup", "validationError"],
        "send-to-flex": ["callComplete", "failedToEnqueue", "callFailure"],
        "run-subflow": ["completed", "failed"],
        "connect-virtual-agent": ["return", "hangup"],
        "send-to-auto-pilot": ["sessionEnded", "failure", "timeout"],
        "make-outgoing-call-v1": ["answered", "busy", "noAnswer", "failed", "answeredByMachine", "hangup"],
    ]

    /// Properties a widget type cannot do without; a list means "one of these".
    static let required: [String: [[String]]] = [
        "split-based-on": [["input"]],
        "make-http-request": [["url"]],
        "run-function": [["url"]],
        "send-message": [["body"]],
        "send-and-wait-for-reply": [["body"]],
        "say-play": [["say", "play"]],
        "connect-call-to": [["to"]],
        "enqueue-call": [["queue_name", "workflow_sid"]],
        "fork-stream": [["stream_action"]],
        "add-twiml-redirect": [["url"]],
        "run-subflow": [["flow_sid"]],
    ]

    /// Studio types for products Parley does not have: valid in a definition, a failed step when run.
    static let unsupported: Set<String> = ["send-to-flex", "run-subflow", "connect-virtual-agent", "send-to-auto-pilot", "make-outgoing-call-v1"]
}
