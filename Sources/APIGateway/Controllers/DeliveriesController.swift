import Foundation
import Hummingbird
import Platform

/// Parley's webhook deliveries (`/events/v1/Deliveries`): what was sent where, each attempt, and replay.
/// Like subscriptions, the caller's own only.
struct DeliveriesController: Sendable {
    let deliveries: DeliveryRepository
    let outbox: EventOutbox
    let publicURL: String

    /// The list filters, in the order their links repeat them.
    private static let filterNames = [
        "Status", "EventType", "Url", "SubscriptionSid", "EventSid", "DateCreatedAfter", "DateCreatedBefore",
    ]

    func register(on routes: RouteRegistrar) {
        routes.get(EventsV1.route("/Deliveries"), list)
        routes.get(EventsV1.route("/Deliveries/{Sid}"), fetch)
        routes.get(EventsV1.route("/Deliveries/{Sid}/Attempts"), attempts)
        routes.post(EventsV1.route("/Deliveries/{Sid}/Replay"), replay)
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let page = try PageRequest(query: context.query)
        let filter = try Self.filter(context.query)
        let rows = try await deliveries.list(
            account: principal.accountSid, filter: filter, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "deliveries", page: rows, request: page, path: EventsV1.path("/Deliveries"),
            filters: context.query.selecting(Self.filterNames), style: .v1(publicURL: publicURL, mount: EventsV1.mount)
        ) { DeliveryResource(delivery: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (_, delivery) = try await deliveryInPath(request, context)
        return JSONResponse.make(DeliveryResource(delivery: delivery, publicURL: publicURL))
    }

    @Sendable func attempts(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (account, delivery) = try await deliveryInPath(request, context)
        let page = try PageRequest(query: context.query)
        let rows = try await deliveries.attempts(
            of: delivery.sid, account: account, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "attempts", page: rows, request: page, path: EventsV1.path("/Deliveries/\(delivery.sid)/Attempts"),
            filters: FormParameters(), style: .v1(publicURL: publicURL, mount: EventsV1.mount), render: DeliveryAttemptResource.init)
        return JSONResponse.make(envelope)
    }

    /// Sends a delivery again, now, with a fresh retry schedule.
    @Sendable func replay(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let sid = try context.sid("Sid", prefix: .delivery, path: request.uri.path)
        guard let delivery = try await deliveries.replay(sid, account: principal.accountSid, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        outbox.committed()
        return JSONResponse.make(DeliveryResource(delivery: delivery, publicURL: publicURL))
    }

    /// The caller's account and the delivery `{Sid}` names, if it is the caller's.
    private func deliveryInPath(_ request: Request, _ context: GatewayRequestContext) async throws -> (SID, Delivery) {
        let principal = try context.requirePrincipal()
        let sid = try context.sid("Sid", prefix: .delivery, path: request.uri.path)
        guard let delivery = try await deliveries.find(sid, account: principal.accountSid, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return (principal.accountSid, delivery)
    }

    static func filter(_ query: FormParameters) throws -> DeliveryFilter {
        var filter = DeliveryFilter(eventType: query.first("EventType"), url: query.first("Url"))
        filter.status = try query.choice("Status")
        filter.subscriptionSid = try query.first("SubscriptionSid").map { try sid($0, .eventSubscription, parameter: "SubscriptionSid") }
        filter.eventSid = try query.first("EventSid").map { try sid($0, .event, parameter: "EventSid") }
        filter.createdAfter = try query.first("DateCreatedAfter").map { try date($0, parameter: "DateCreatedAfter") }
        filter.createdBefore = try query.first("DateCreatedBefore").map { try date($0, parameter: "DateCreatedBefore") }
        return filter
    }

    private static func sid(_ text: String, _ prefix: SIDPrefix, parameter: String) throws -> SID {
        guard let sid = SID(text, prefix: prefix) else { throw APIError.invalidParameter(parameter, "must be a \(prefix.rawValue)… SID") }
        return sid
    }

    /// An ISO 8601 date-time (`2026-11-21T20:00:00Z`, fractions and offsets allowed) or a date (midnight UTC).
    private static func date(_ text: String, parameter: String) throws -> Date {
        let dateOnly = text.utf8.count == 10
        let style = dateOnly ? Date.ISO8601FormatStyle().year().month().day() : Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard let date = try? style.parse(text) else {
            throw APIError.invalidParameter(parameter, "must be an ISO 8601 date-time such as 2026-11-21T20:00:00Z")
        }
        return date
    }
}
