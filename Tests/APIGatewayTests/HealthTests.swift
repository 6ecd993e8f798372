import APIGateway
import Foundation
import Hummingbird
import HummingbirdTesting
import Platform
import Prometheus
import TestSupport
import Testing

/// `GET /health` reflects whether the database answers.
@Suite struct HealthTests {
    @Test func healthyWhenTheDatabaseAnswers() async throws {
        try await GatewayHarness.run { gateway in
            let response = try await gateway.send(.get, "/health")
            #expect(response.status == .ok)
            #expect(try response.json()["database"] as? String == "ok")
        }
    }

    @Test func unavailableWhenTheDatabaseDoesNot() async throws {
        let nowhere = DatabaseEndpoint(address: .unixSocket(path: "/nonexistent/.s.PGSQL.5432"), username: "x", database: "x")
        let database = try Database(endpoint: nowhere, logger: TestDatabase.logger)
        let services = try GatewayServices(
            configuration: GatewayConfiguration(), database: database, secrets: Fixtures.secrets, metrics: PrometheusCollectorRegistry())
        let (router, _) = try Gateway.makeRouter(services)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.client.run() }
            try await Application(router: router, logger: TestDatabase.logger).test(.router) { client in
                let started = ContinuousClock.now
                let response = try await client.execute(uri: "/health", method: .get)
                #expect(response.status == .serviceUnavailable)
                #expect(ContinuousClock.now - started < .seconds(10))
            }
            group.cancelAll()
        }
        try await services.egress.shutdown()
    }
}
