import Foundation
import Hummingbird
import Platform

/// API 2010 Accounts: the caller's own account and its subaccounts.
struct AccountsController: Sendable {
    let accounts: AccountRepository
    let verifier: CredentialVerifier

    func register(on routes: RouteRegistrar) {
        routes.post(API2010.route("/Accounts.json"), create)
        routes.get(API2010.route("/Accounts.json"), list)
        routes.get(API2010.route("/Accounts/{Sid}.json"), fetch)
        routes.post(API2010.route("/Accounts/{Sid}.json"), update)
    }

    /// Creates a subaccount of the caller.
    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard !principal.isSubaccount else { throw APIError.forbidden("Subaccounts cannot create subaccounts") }
        let now = Date.now
        let name = try FriendlyName.validate(context.form.first("FriendlyName"))
            ?? "SubAccount Created at \(TwilioDate.rfc2822(now))"
        let account = try await accounts.create(parent: principal.accountSid, friendlyName: name, logger: context.logger)
        return JSONResponse.make(AccountResource(account: account), status: .created)
    }

    /// The caller and its subaccounts, filtered by `FriendlyName` and `Status`.
    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let page = try PageRequest(query: context.query)
        let status: AccountStatus? = try context.query.choice("Status")
        let rows = try await accounts.list(
            visibleTo: principal.accountSid, friendlyName: context.query.first("FriendlyName"), status: status,
            cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "accounts", page: rows, request: page, path: API2010.uri("/Accounts.json"),
            filters: context.query.selecting(["FriendlyName", "Status"]), style: .api2010, render: AccountResource.init)
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let sid = try context.sid("Sid", prefix: .account, path: request.uri.path)
        guard let account = try await accounts.find(sid, visibleTo: principal.accountSid, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return JSONResponse.make(AccountResource(account: account))
    }

    /// Renames an account or changes its status. Closing is final; an account cannot change its own status.
    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let sid = try context.sid("Sid", prefix: .account, path: request.uri.path)
        let name = try FriendlyName.validate(context.form.first("FriendlyName"))
        let status: AccountStatus? = try context.form.choice("Status")
        guard let current = try await accounts.find(sid, visibleTo: principal.accountSid, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        if let status, status != current.status {
            guard current.status != .closed else { throw APIError.invalidParameter("Status", "a closed account cannot be reopened") }
            guard sid != principal.accountSid else {
                throw APIError.invalidParameter("Status", "an account cannot change its own status; use its parent's credentials")
            }
        }
        guard let updated = try await accounts.update(
            sid, visibleTo: principal.accountSid, friendlyName: name, status: status, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        if updated.status != current.status { try await verifier.credentialsChanged(sid, logger: context.logger) }
        return JSONResponse.make(AccountResource(account: updated))
    }
}
