import Hummingbird
import Platform

/// API 2010 Keys of an account the caller may act on.
struct KeysController: Sendable {
    let accounts: AccountRepository
    let keys: APIKeyRepository
    let verifier: CredentialVerifier

    func register(on routes: RouteRegistrar) {
        routes.post(API2010.route("/Accounts/{AccountSid}/Keys.json"), create)
        routes.get(API2010.route("/Accounts/{AccountSid}/Keys.json"), list)
        routes.get(API2010.route("/Accounts/{AccountSid}/Keys/{Sid}.json"), fetch)
        routes.post(API2010.route("/Accounts/{AccountSid}/Keys/{Sid}.json"), update)
        routes.delete(API2010.route("/Accounts/{AccountSid}/Keys/{Sid}.json"), delete)
    }

    /// Creates a key; the response is the only place its secret ever appears.
    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let name = try FriendlyName.validate(context.form.first("FriendlyName"))
        let (key, secret) = try await keys.create(account: account, friendlyName: name, logger: context.logger)
        return JSONResponse.make(KeyResource(key: key, secret: secret), status: .created)
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let page = try PageRequest(query: context.query)
        let rows = try await keys.list(account: account, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "keys", page: rows, request: page, path: API2010.uri("/Accounts/\(account)/Keys.json"),
            filters: FormParameters(), style: .api2010) { KeyResource(key: $0) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let sid = try context.sid("Sid", prefix: .apiKey, path: request.uri.path)
        guard let key = try await keys.find(sid, account: account, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return JSONResponse.make(KeyResource(key: key))
    }

    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let sid = try context.sid("Sid", prefix: .apiKey, path: request.uri.path)
        let name = try FriendlyName.validate(context.form.first("FriendlyName"))
        guard let key = try await keys.update(sid, account: account, friendlyName: name, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return JSONResponse.make(KeyResource(key: key))
    }

    /// Deletes a key; it stops authenticating immediately, in every gateway.
    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let sid = try context.sid("Sid", prefix: .apiKey, path: request.uri.path)
        guard try await keys.delete(sid, account: account, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        try await verifier.credentialsChanged(sid, logger: context.logger)
        return Response(status: .noContent)
    }
}
