import Foundation
import Hummingbird
import Platform

/// Parley's event subscriptions (`/events/v1/Subscriptions`): the caller's own, never another account's
/// (a main account's credentials do not reach its subaccounts' subscriptions here).
struct SubscriptionsController: Sendable {
    let subscriptions: SubscriptionRepository
    let egress: EgressHTTPClient
    let publicURL: String

    func register(on routes: RouteRegistrar) {
        routes.post(EventsV1.route("/Subscriptions"), create)
        routes.get(EventsV1.route("/Subscriptions"), list)
        routes.get(EventsV1.route("/Subscriptions/{Sid}"), fetch)
        routes.post(EventsV1.route("/Subscriptions/{Sid}"), update)
        routes.delete(EventsV1.route("/Subscriptions/{Sid}"), delete)
        routes.post(EventsV1.route("/Subscriptions/{Sid}/RotateSecret"), rotateSecret)
    }

    /// Creates a subscription; the response is the only place, with rotation's, where its secret appears.
    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = context.form
        guard let url = form.first("Url") else { throw APIError.invalidParameter("Url", "is required") }
        guard let eventTypes = try Self.eventTypes(form) else {
            throw APIError.invalidParameter("EventTypes", "is required (an event type, a prefix wildcard such as account.* or *)")
        }
        let format = try form.first("Format").map(Self.format) ?? .json
        let method = try form.deliveryMethod("Method") ?? .post
        try SubscriptionRepository.checkMethod(method, format: format)
        let name = try FriendlyName.validate(form.first("FriendlyName"))
        let enabled = try form.boolean("Enabled") ?? true
        try await egress.checkParameter("Url", url: url)
        let (subscription, secret) = try await subscriptions.create(
            account: principal.accountSid, url: url, eventTypes: eventTypes, format: format, method: method, friendlyName: name,
            enabled: enabled, logger: context.logger)
        return JSONResponse.make(SubscriptionResource(subscription: subscription, publicURL: publicURL, secret: secret), status: .created)
    }

    /// The caller's subscriptions, optionally only the enabled (`Enabled=true`) or disabled ones.
    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let page = try PageRequest(query: context.query)
        let enabled = try context.query.boolean("Enabled")
        let rows = try await subscriptions.list(
            account: principal.accountSid, enabled: enabled, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "subscriptions", page: rows, request: page, path: EventsV1.path("/Subscriptions"),
            filters: context.query.selecting(["Enabled"]), style: .v1(publicURL: publicURL, mount: EventsV1.mount)
        ) { SubscriptionResource(subscription: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let sid = try context.sid("Sid", prefix: .eventSubscription, path: request.uri.path)
        guard let subscription = try await subscriptions.find(sid, account: principal.accountSid, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return JSONResponse.make(SubscriptionResource(subscription: subscription, publicURL: publicURL))
    }

    /// Changes any of the create parameters; `Enabled=true` re-enables a subscription Parley disabled.
    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let sid = try context.sid("Sid", prefix: .eventSubscription, path: request.uri.path)
        let form = context.form
        let eventTypes = try Self.eventTypes(form)
        let format = try form.first("Format").map(Self.format)
        let method = try form.deliveryMethod("Method")
        let name = try FriendlyName.validate(form.first("FriendlyName"))
        let enabled = try form.boolean("Enabled")
        let url = form.first("Url")
        if let url {
            // Only a subscription of the caller's gets its URL looked up.
            guard try await subscriptions.find(sid, account: principal.accountSid, logger: context.logger) != nil else {
                throw APIError.notFound(request.uri.path)
            }
            try await egress.checkParameter("Url", url: url)
        }
        guard let subscription = try await subscriptions.update(
            sid, account: principal.accountSid, url: url, eventTypes: eventTypes, format: format, method: method, friendlyName: name,
            enabled: enabled, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return JSONResponse.make(SubscriptionResource(subscription: subscription, publicURL: publicURL))
    }

    /// Deletes a subscription; its pending deliveries are marked failed and kept.
    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let sid = try context.sid("Sid", prefix: .eventSubscription, path: request.uri.path)
        guard try await subscriptions.delete(sid, account: principal.accountSid, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return Response(status: .noContent)
    }

    /// Issues a new secret, returned once; the previous one keeps signing alongside for 24 hours.
    @Sendable func rotateSecret(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let sid = try context.sid("Sid", prefix: .eventSubscription, path: request.uri.path)
        guard let (subscription, secret) = try await subscriptions.rotateSecret(sid, account: principal.accountSid, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return JSONResponse.make(SubscriptionResource(subscription: subscription, publicURL: publicURL, secret: secret))
    }

    /// `EventTypes`, repeated and/or comma-separated, trimmed and de-duplicated in order; `nil` when absent.
    static func eventTypes(_ form: FormParameters) throws -> [String]? {
        let values = form.all("EventTypes")
        guard !values.isEmpty else { return nil }
        var types: [String] = []
        for value in values {
            for piece in value.split(separator: ",") {
                let type = piece.trimmingCharacters(in: .whitespaces)
                if !type.isEmpty, !types.contains(type) { types.append(type) }
            }
        }
        guard !types.isEmpty else { throw APIError.invalidParameter("EventTypes", "at least one event type is required") }
        for type in types {
            do {
                try EventTypePattern.validate(type)
            } catch {
                throw APIError.invalidParameter("EventTypes", error.description)
            }
        }
        return types
    }

    static func format(_ text: String) throws -> DeliveryFormat {
        guard let format = DeliveryFormat(rawValue: text) else { throw APIError.invalidParameter("Format", "must be json or form") }
        return format
    }
}
