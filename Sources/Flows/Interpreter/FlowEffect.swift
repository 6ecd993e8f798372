/// Something an execution needs done outside the interpreter. The interpreter returns it and waits; the runtime
/// performs it and hands back a ``FlowEffectResult``.
public enum FlowEffect: Sendable, Hashable, Codable {
    /// `make-http-request` and `run-function`: through the egress guard, 10 s at most.
    case httpRequest(FlowHTTPRequest)
    /// `send-message`.
    case sendMessage(FlowOutboundMessage)
    /// `send-and-wait-for-reply`: send, then wait for the contact's reply for `timeoutSeconds`.
    case sendAndWait(FlowOutboundMessage, timeoutSeconds: Int)
    /// A voice widget's instruction for the call-control protocol.
    case call(CallInstruction)
}

/// An HTTP request a widget makes. The runtime encodes `parameters`: into the query of a GET or DELETE, as a form
/// body otherwise (unless there is a JSON body).
public struct FlowHTTPRequest: Sendable, Hashable, Codable {
    public let method: String
    public let url: String
    public let parameters: [Parameter]
    /// The body of a JSON request, sent as `application/json`.
    public let jsonBody: String?

    /// A rendered `{key, value}` pair.
    public struct Parameter: Sendable, Hashable, Codable {
        public let key: String
        public let value: String
    }

    public init(method: String, url: String, parameters: [Parameter], jsonBody: String?) {
        self.method = method
        self.url = url
        self.parameters = parameters
        self.jsonBody = jsonBody
    }
}

/// A message a widget sends.
public struct FlowOutboundMessage: Sendable, Hashable, Codable {
    public let from: String
    public let to: String
    public let body: String
    public let mediaURL: String?
    public init(from: String, to: String, body: String, mediaURL: String?) {
        self.from = from
        self.to = to
        self.body = body
        self.mediaURL = mediaURL
    }
}

/// A voice widget rendered for the call-control protocol: its type and its properties' values.
public struct CallInstruction: Sendable, Hashable, Codable {
    public let kind: String
    public let properties: [String: String]
    public init(kind: VoiceWidgetKind, properties: [String: String]) {
        self.kind = kind.rawValue
        self.properties = properties
    }
}

/// A message as sent: what `widgets.NAME` (or `.outbound`) shows.
public struct FlowSentMessage: Sendable, Hashable, Codable {
    public let sid: String
    public let status: String
    public let from: String
    public let to: String
    public let body: String
    public init(sid: String, status: String, from: String, to: String, body: String) {
        self.sid = sid
        self.status = status
        self.from = from
        self.to = to
        self.body = body
    }

    var outputs: JSONValue {
        .object(["Sid": .string(sid), "Status": .string(status), "From": .string(from), "To": .string(to), "Body": .string(body)])
    }
}

/// What became of a ``FlowEffect``.
public enum FlowEffectResult: Sendable, Hashable {
    /// An HTTP answer, whatever its status.
    case httpResponse(status: Int, contentType: String?, body: String)
    /// No HTTP answer: refused by the egress guard, unreachable, timed out, too large.
    case httpFailure(String)
    /// The message was accepted for sending.
    case messageSent(FlowSentMessage)
    /// The message could not be sent (refused when created).
    case messageFailed(String)
    /// The contact replied: the incoming-message parameters (`Body`, `From`, `To`, `MessageSid`, …).
    case replyReceived([String: String])
    /// No reply within the timeout.
    case replyTimedOut
    /// The message sent while waiting failed or was undelivered.
    case deliveryFailed(status: String)
    /// There is no call to run a voice widget on.
    case callUnavailable(String)
}
