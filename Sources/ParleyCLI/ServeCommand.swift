import APIGateway
import ArgumentParser
import Foundation
import Logging
import Metrics
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

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1-65535") }
        guard rateLimitPerSecond >= 0, rateLimitBurst >= 1 else { throw ValidationError("rate limits must be positive") }
        guard maxBodySize > 0 else { throw ValidationError("--max-body-size must be positive") }
        guard databasePoolSize > 0 else { throw ValidationError("--database-pool-size must be positive") }
        if let publicURL, URL(string: publicURL)?.scheme == nil { throw ValidationError("--public-url must be an absolute URL") }
    }

    func run() async throws {
        let logger = CommandLogging.bootstrap(defaultLevel: .info, toStandardError: false)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let gateway = GatewayConfiguration(
            host: host, port: port, publicURL: publicURL, maximumBodySize: maxBodySize,
            rateLimit: rateLimitPerSecond > 0 ? .init(ratePerSecond: rateLimitPerSecond, burst: rateLimitBurst) : nil)
        let options = GatewayServer.Options(
            gateway: gateway, dataDirectory: database.dataDirectory, databaseURL: database.resolvedDatabaseURL,
            databasePoolSize: databasePoolSize, environment: ProcessInfo.processInfo.environment)
        try await GatewayServer.run(options, metrics: registry, logger: logger)
    }
}
