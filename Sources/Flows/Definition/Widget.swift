/// A state's behaviour with its properties typed and its templates parsed.
public enum Widget: Sendable {
    case trigger
    case splitBasedOn(SplitBasedOn)
    case setVariables([VariableAssignment])
    case makeHTTPRequest(HTTPRequestWidget)
    case runFunction(RunFunctionWidget)
    case sendMessage(SendMessageWidget)
    case sendAndWaitForReply(SendAndWaitWidget)
    /// A widget that needs a voice call (`say-play`, `gather-input-on-call`, …): its properties stay as templates,
    /// rendered into a ``CallInstruction`` when it runs.
    case voice(VoiceWidget)
    /// A Studio widget Parley accepts in a definition but cannot run (`send-to-flex`, `run-subflow`, …): running it
    /// fails the step with a message naming the type.
    case unsupported
}

/// `split-based-on`: the first branch whose conditions all hold wins; otherwise `noMatch`.
public struct SplitBasedOn: Sendable {
    public let input: LiquidTemplate
    public let branches: [SplitBranch]
    public init(input: LiquidTemplate, branches: [SplitBranch]) {
        self.input = input
        self.branches = branches
    }
}

/// One `match` transition of a split: its conditions and where it leads (nil: end).
public struct SplitBranch: Sendable {
    public let conditions: [SplitCondition]
    public let next: Int?
    public init(conditions: [SplitCondition], next: Int?) {
        self.conditions = conditions
        self.next = next
    }
}

/// A condition of a split branch, e.g. `contains "yes"`. The value may itself be a template.
public struct SplitCondition: Sendable {
    public let friendlyName: String
    public let comparison: SplitComparison
    public let value: LiquidTemplate
    public init(friendlyName: String, comparison: SplitComparison, value: LiquidTemplate) {
        self.friendlyName = friendlyName
        self.comparison = comparison
        self.value = value
    }
}

/// `set-variables`: each value rendered and stored under `flow.variables.KEY`.
public struct VariableAssignment: Sendable {
    public let key: String
    public let value: LiquidTemplate
    /// Studio's "parse as JSON" option: the rendered value is stored as JSON when it parses.
    public let parsesJSON: Bool
    public init(key: String, value: LiquidTemplate, parsesJSON: Bool) {
        self.key = key
        self.value = value
        self.parsesJSON = parsesJSON
    }
}

/// A `{key, value}` pair of a widget's `parameters`; the value is a template.
public struct TemplatedParameter: Sendable {
    public let key: String
    public let value: LiquidTemplate
    public init(key: String, value: LiquidTemplate) {
        self.key = key
        self.value = value
    }
}

/// `make-http-request`.
public struct HTTPRequestWidget: Sendable {
    public enum BodyEncoding: Sendable { case form, json }
    public let method: String
    public let url: LiquidTemplate
    public let encoding: BodyEncoding
    /// The raw body (JSON requests), when given.
    public let body: LiquidTemplate?
    /// Form parameters (form requests; added to the query of a GET).
    public let parameters: [TemplatedParameter]
    public init(method: String, url: LiquidTemplate, encoding: BodyEncoding, body: LiquidTemplate?, parameters: [TemplatedParameter]) {
        self.method = method
        self.url = url
        self.encoding = encoding
        self.body = body
        self.parameters = parameters
    }
}

/// `run-function`: a POST of the parameters to the function's URL.
public struct RunFunctionWidget: Sendable {
    public let url: LiquidTemplate
    public let parameters: [TemplatedParameter]
    public init(url: LiquidTemplate, parameters: [TemplatedParameter]) {
        self.url = url
        self.parameters = parameters
    }
}

/// `send-message`.
public struct SendMessageWidget: Sendable {
    /// Defaults `{{flow.channel.address}}` / `{{contact.channel.address}}` when the definition leaves them out.
    public let from: LiquidTemplate
    public let to: LiquidTemplate
    public let body: LiquidTemplate
    public let mediaURL: LiquidTemplate?
    public init(from: LiquidTemplate, to: LiquidTemplate, body: LiquidTemplate, mediaURL: LiquidTemplate?) {
        self.from = from
        self.to = to
        self.body = body
        self.mediaURL = mediaURL
    }
}

/// `send-and-wait-for-reply`.
public struct SendAndWaitWidget: Sendable {
    public let from: LiquidTemplate
    public let body: LiquidTemplate
    public let mediaURL: LiquidTemplate?
    /// How long to wait for the reply (a template; Studio's default is 3600 s).
    public let timeout: LiquidTemplate
    public init(from: LiquidTemplate, body: LiquidTemplate, mediaURL: LiquidTemplate?, timeout: LiquidTemplate) {
        self.from = from
        self.body = body
        self.mediaURL = mediaURL
        self.timeout = timeout
    }
}

/// A voice widget: its Studio type and its string properties as templates (rendered when it runs).
public struct VoiceWidget: Sendable {
    public let kind: VoiceWidgetKind
    public let properties: [String: LiquidTemplate]
    public init(kind: VoiceWidgetKind, properties: [String: LiquidTemplate]) {
        self.kind = kind
        self.properties = properties
    }
}

/// The voice widgets Parley models.
public enum VoiceWidgetKind: String, Sendable, CaseIterable {
    case sayPlay = "say-play"
    case gatherInputOnCall = "gather-input-on-call"
    case recordVoicemail = "record-voicemail"
    case connectCallTo = "connect-call-to"
    case enqueueCall = "enqueue-call"
    case forkStream = "fork-stream"
    case addTwiMLRedirect = "add-twiml-redirect"
    case makeOutgoingCall = "make-outgoing-call-v2"
    case recordCall = "record-call"
    case capturePayments = "capture-payments"
}
