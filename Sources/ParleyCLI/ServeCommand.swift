import APIGateway
import ArgumentParser
import Flows
import Foundation
import Logging
import MediaNodes
import Metrics
import Messaging
import Platform
import Prometheus

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the API gateway (and, without a database URL, an embedded PostgreSQL).")

    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8080
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Base of absolute URLs in responses (default http://HOST:PORT).") var publicURL: String?
    @Option(help: "Per-account requests per second (token bucket; 0 turns limiting off).") var rateLimitPerSecond: Double = 500
    @Option(help: "Per-account burst size.") var rateLimitBurst: Double = 1000
    @Option(help: "Largest accepted request body, in bytes.") var maxBodySize: Int = GatewayConfiguration.defaultMaximumBodySize
    @Option(help: "Most PostgreSQL connections this gateway opens.") var databasePoolSize: Int = 20
    @OptionGroup var egress: EgressOptions
    @Option(help: "Webhook retry steps after the first attempt, e.g. 5s,30s,2m (default: 11 steps over about three days).")
    var retrySchedule: String?
    @Option(help: "Most webhook requests this process has in flight; 0 runs no delivery workers here.")
    var deliveryConcurrency: Int = DeliveryDispatcher.Configuration().concurrency
    @Flag(help: "Run no media node in this process (rooms then need `parley media-node` processes).") var noMedia = false
    @Flag(help: "Disable the built-in `sandbox` carrier connection and its /sandbox/v1 API.") var noSandbox = false
    @Option(help: "An SMPP carrier connection: name=N,host=H,port=P,system-id=S,password=W[,system-type=T][,window=10] (repeatable).")
    var smpp: [String] = []
    @Option(help: "Participants a conversation may have, at most.") var conversationParticipantLimit = GatewayConfiguration.defaultConversationParticipantLimit
    @Option(help: "Widgets a flow execution may run; past it the execution ends with an error.") var flowStepLimit = FlowLimits().maximumSteps
    @Option(help: "Seconds a flow execution may live (30 days); then it is ended.") var flowLifetime = FlowLimits().maximumLifetimeSeconds
    @Option(help: "Bytes of context (variables, widget outputs) a flow execution may hold.") var flowContextLimit = FlowLimits().maximumContextBytes
    @Option(help: "Port of this process's media node signaling server (0 picks a free one).") var mediaSignalingPort: Int = 0
    @Option(help: "UDP (and ICE-TCP) port of this process's media node (0 picks a free one).") var mediaPort: Int = 0
    @Option(help: "Host clients reach this process's media node at (default: --host).") var mediaAdvertiseHost: String?
    @Option(help: "Seconds this process's media node waits for its rooms to empty when shutting down.") var mediaDrainTimeout: Int = 5

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1-65535") }
        guard rateLimitPerSecond >= 0, rateLimitBurst >= 1 else { throw ValidationError("rate limits must be positive") }
        guard maxBodySize > 0 else { throw ValidationError("--max-body-size must be positive") }
        guard databasePoolSize > 0 else { throw ValidationError("--database-pool-size must be positive") }
        if let publicURL, URL(string: publicURL)?.scheme == nil { throw ValidationError("--public-url must be an absolute URL") }
        guard (0...65535).contains(mediaPort), (0...65535).contains(mediaSignalingPort) else {
            throw ValidationError("--media-port and --media-signaling-port must be 0-65535")
        }
        guard mediaDrainTimeout >= 0 else { throw ValidationError("--media-drain-timeout must be 0 or more") }
        guard conversationParticipantLimit >= 1 else { throw ValidationError("--conversation-participant-limit must be 1 or more") }
        guard flowStepLimit >= 1, flowLifetime >= 1, flowContextLimit >= 1024 else {
            throw ValidationError("--flow-step-limit and --flow-lifetime must be 1 or more, --flow-context-limit 1024 or more")
        }
        guard deliveryConcurrency >= 0 else { throw ValidationError("--delivery-concurrency must be 0 or more") }
        if let retrySchedule {
            do { _ = try RetrySchedule.parse(retrySchedule) } catch { throw ValidationError("--retry-schedule: \(error)") }
        }
    }

    func run() async throws {
        let logger = CommandLogging.bootstrap(defaultLevel: .info, toStandardError: false)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var gateway = GatewayConfiguration(
            host: host, port: port, publicURL: publicURL, maximumBodySize: maxBodySize,
            rateLimit: rateLimitPerSecond > 0 ? .init(ratePerSecond: rateLimitPerSecond, burst: rateLimitBurst) : nil,
            egressPolicy: try egress.policy())
        gateway.sandbox = !noSandbox
        gateway.conversationParticipantLimit = conversationParticipantLimit
        gateway.flowLimits = FlowLimits(maximumSteps: flowStepLimit, maximumContextBytes: flowContextLimit, maximumLifetimeSeconds: flowLifetime)
        gateway.smppConnections = try smpp.map { text in
            do { return try SMPPConnectionSettings(parsing: text) } catch { throw ValidationError("\(error)") }
        }
        guard Set(gateway.smppConnections.map(\.name)).count == gateway.smppConnections.count else {
            throw ValidationError("--smpp: two connections have the same name")
        }
        let delivery = DeliveryDispatcher.Configuration(
            concurrency: deliveryConcurrency, schedule: try retrySchedule.map(RetrySchedule.parse) ?? .standard)
        let options = GatewayServer.Options(
            gateway: gateway, dataDirectory: database.dataDirectory, databaseURL: database.resolvedDatabaseURL,
            databasePoolSize: databasePoolSize, delivery: delivery,
            mediaNode: noMedia ? nil : MediaNodeConfiguration(
                host: host, port: mediaSignalingPort, advertisedHost: mediaAdvertiseHost, mediaPort: mediaPort, name: "embedded",
                drainTimeout: .seconds(mediaDrainTimeout), egressPolicy: try egress.policy()),
            environment: ProcessInfo.processInfo.environment)
        try await GatewayServer.run(options, metrics: registry, logger: logger)
    }
}
