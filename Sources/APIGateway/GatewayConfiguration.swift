import Flows
import Messaging
import Platform

/// Settings of the HTTP gateway (the `parley serve` flags).
public struct GatewayConfiguration: Sendable {
    public static let defaultMaximumBodySize = 1 << 20
    public static let defaultConversationParticipantLimit = 1000

    public var host: String
    public var port: Int
    /// Base of every absolute URL the gateway emits (v1 paging links); `http://host:port` by default.
    public var publicURL: String
    public var maximumBodySize: Int
    /// `nil` turns rate limiting off.
    public var rateLimit: RateLimiter.Policy?
    /// What outbound requests (webhooks, callbacks) may reach, and the check of URLs customers configure.
    public var egressPolicy: EgressPolicy
    /// A media node silent this long is dead: its rooms move to other nodes.
    public var mediaNodeDeadAfter: Duration = .seconds(3)
    /// The built-in `sandbox` carrier connection and its `/sandbox/v1` API.
    public var sandbox = true
    /// SMPP carrier connections (`parley serve --smpp`), named by the numbers that use them.
    public var smppConnections: [SMPPConnectionSettings] = []
    /// Participants a conversation may have, at most.
    public var conversationParticipantLimit = defaultConversationParticipantLimit
    /// How far a flow execution may go (steps, context size, lifetime).
    public var flowLimits = FlowLimits()

    public init(
        host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil,
        maximumBodySize: Int = defaultMaximumBodySize, rateLimit: RateLimiter.Policy? = .standard,
        egressPolicy: EgressPolicy = EgressPolicy()
    ) {
        self.host = host
        self.port = port
        var base = publicURL ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        while base.hasSuffix("/") { base.removeLast() }
        self.publicURL = base
        self.maximumBodySize = maximumBodySize
        self.rateLimit = rateLimit
        self.egressPolicy = egressPolicy
    }
}
