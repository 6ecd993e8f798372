/// How far an execution may go before it is ended with an error, so a looping or huge flow never holds a worker.
public struct FlowLimits: Sendable, Hashable {
    /// Widgets run per execution.
    public var maximumSteps: Int
    /// Bytes of context (variables, widget outputs, trigger) an execution may hold.
    public var maximumContextBytes: Int
    /// How long an execution may live, in seconds (Studio's is 30 days).
    public var maximumLifetimeSeconds: Int
    /// Bytes of an HTTP answer a widget keeps; a longer answer fails the widget.
    public var maximumHTTPBodyBytes: Int

    public init(
        maximumSteps: Int = 1000, maximumContextBytes: Int = 1 << 20, maximumLifetimeSeconds: Int = 30 * 86_400,
        maximumHTTPBodyBytes: Int = 64 * 1024
    ) {
        self.maximumSteps = maximumSteps
        self.maximumContextBytes = maximumContextBytes
        self.maximumLifetimeSeconds = maximumLifetimeSeconds
        self.maximumHTTPBodyBytes = maximumHTTPBodyBytes
    }
}
