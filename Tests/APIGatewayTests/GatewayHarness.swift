import APIGateway
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Platform
import Prometheus
import TestSupport

/// A gateway on a fresh database with an owner account, driven in-process through the router.
struct GatewayHarness: Sendable {
    let services: GatewayServices
    let routes: RouteTable
    let owner: Account
    let client: any TestClientProtocol

    /// Runs `body` against a new gateway; `configure` adjusts its configuration first.
    static func run(
        configure: @Sendable (inout GatewayConfiguration) -> Void = { _ in },
        _ body: @Sendable (GatewayHarness) async throws -> Void
    ) async throws {
        try await TestDatabase.withFresh { database in
            var configuration = GatewayConfiguration(publicURL: "https://parley.test", rateLimit: nil)
            configure(&configuration)
            let services = try GatewayServices(
                configuration: configuration, database: database, secrets: Fixtures.secrets, metrics: PrometheusCollectorRegistry())
            let owner = try await services.accounts.create(parent: nil, friendlyName: "Owner", logger: TestDatabase.logger)
            let (router, routes) = try Gateway.makeRouter(services)
            let app = Application(router: router, logger: TestDatabase.logger)
            // The egress client must be shut down before it is released (AsyncHTTPClient traps otherwise).
            do {
                try await app.test(.router) { client in
                    try await body(GatewayHarness(services: services, routes: routes, owner: owner, client: client))
                }
            } catch {
                try await services.egress.shutdown()
                throw error
            }
            try await services.egress.shutdown()
        }
    }

    /// Sends a request with Basic credentials (`nil` for none) and an optional form body.
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, as credentials: Credentials? = nil,
        form: [(String, String)]? = nil, headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let credentials { headers[.authorization] = credentials.basicHeader }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: FormParameters(form).encoded)
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body)
    }

    /// The owner's credentials.
    var ownerCredentials: Credentials { Credentials(account: owner) }

    /// Creates a main account directly (a second tenant).
    func makeMainAccount(_ name: String) async throws -> Account {
        try await services.accounts.create(parent: nil, friendlyName: name, logger: TestDatabase.logger)
    }

    /// Creates a subaccount of `parent` directly.
    func makeSubaccount(of parent: Account, _ name: String) async throws -> Account {
        try await services.accounts.create(parent: parent.sid, friendlyName: name, logger: TestDatabase.logger)
    }
}

/// HTTP Basic credentials.
struct Credentials: Sendable {
    var username: String
    var password: String

    init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    init(account: Account) {
        self.init(username: account.sid.rawValue, password: account.authToken)
    }

    var basicHeader: String { "Basic " + Data("\(username):\(password)".utf8).base64EncodedString() }
}

extension TestResponse {
    /// The body as a JSON object.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: body))
        guard let dictionary = object as? [String: Any] else { throw JSONShapeError() }
        return dictionary
    }

    /// Twilio error fields `(status, code)` from the body.
    func errorCode() throws -> (status: Int, code: Int) {
        let json = try json()
        return (json["status"] as? Int ?? -1, json["code"] as? Int ?? -1)
    }
}

struct JSONShapeError: Error {}
