import Foundation
import Hummingbird
import Messaging
import Platform

/// Conversations v1 webhooks: a conversation's own (`/Conversations/{ConversationSid}/Webhooks`, post-action events,
/// at most 5) and the account's (`/Configuration/Webhooks`: the pre- and post-action hooks of every conversation).
struct ConversationWebhooksController: Sendable {
    let service: ConversationService
    let publicURL: String
    let egress: EgressHTTPClient

    func register(on routes: RouteRegistrar) {
        routes.post(ConversationsV1.route("/Conversations/{ConversationSid}/Webhooks"), create)
        routes.get(ConversationsV1.route("/Conversations/{ConversationSid}/Webhooks"), list)
        routes.get(ConversationsV1.route("/Conversations/{ConversationSid}/Webhooks/{Sid}"), fetch)
        routes.post(ConversationsV1.route("/Conversations/{ConversationSid}/Webhooks/{Sid}"), update)
        routes.delete(ConversationsV1.route("/Conversations/{ConversationSid}/Webhooks/{Sid}"), delete)
        routes.get(ConversationsV1.route("/Configuration/Webhooks"), settings)
        routes.post(ConversationsV1.route("/Configuration/Webhooks"), updateSettings)
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let conversation = try await ConversationParameters.conversation(request, context, service)
        var fields = try await configuration(context.form)
        guard let target = try context.form.choice("Target", as: ConversationWebhook.Target.self) else {
            throw APIError.invalidParameter("Target", "is required: webhook or studio")
        }
        fields.target = target
        switch target {
        case .webhook where fields.url == nil: throw APIError.invalidParameter("Configuration.Url", "is required for a webhook target")
        case .studio where fields.flowSid == nil: throw APIError.invalidParameter("Configuration.FlowSid", "is required for a studio target")
        default: break
        }
        let webhook = try await ConversationParameters.translate {
            try await service.addWebhook(fields, to: conversation, logger: context.logger)
        }
        return JSONResponse.make(ConversationWebhookResource(webhook: webhook, publicURL: publicURL), status: .created)
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let conversation = try await ConversationParameters.conversation(request, context, service)
        let page = try PageRequest(query: context.query)
        let rows = try await service.webhooks.list(
            conversation: conversation.sid, account: conversation.accountSid, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "webhooks", page: rows, request: page,
            path: ConversationsV1.path(ConversationsV1.conversationPath(conversation.sid) + "/Webhooks"), filters: FormParameters(),
            style: .v1(publicURL: publicURL, mount: ConversationsV1.mount)
        ) { ConversationWebhookResource(webhook: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (conversation, sid) = try await path(request, context)
        guard let webhook = try await service.webhooks.find(sid, conversation: conversation.sid, account: conversation.accountSid, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return JSONResponse.make(ConversationWebhookResource(webhook: webhook, publicURL: publicURL))
    }

    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (conversation, sid) = try await path(request, context)
        let fields = try await configuration(context.form)
        guard let webhook = try await service.webhooks.update(
            sid, fields, conversation: conversation.sid, account: conversation.accountSid, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return JSONResponse.make(ConversationWebhookResource(webhook: webhook, publicURL: publicURL))
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (conversation, sid) = try await path(request, context)
        guard try await service.webhooks.delete(sid, conversation: conversation.sid, account: conversation.accountSid, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return Response(status: .noContent)
    }

    @Sendable func settings(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let settings = try await service.webhooks.settings(account: principal.accountSid, logger: context.logger)
        return JSONResponse.make(ConversationWebhookSettingsResource(account: principal.accountSid, settings: settings, publicURL: publicURL))
    }

    /// Changes the parameters given; an empty `PreWebhookUrl` or `PostWebhookUrl` removes that hook.
    @Sendable func updateSettings(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = context.form
        var settings = try await service.webhooks.settings(account: principal.accountSid, logger: context.logger)
        if let method = try form.deliveryMethod("Method") { settings.method = method }
        let filters = form.all("Filters")
        if !filters.isEmpty { settings.filters = try Self.eventNames(filters, parameter: "Filters") }
        if let url = form.first("PreWebhookUrl") { settings.preWebhookURL = try await checkedURL("PreWebhookUrl", url) }
        if let url = form.first("PostWebhookUrl") { settings.postWebhookURL = try await checkedURL("PostWebhookUrl", url) }
        if let target = try form.choice("Target", as: ConversationWebhookSettings.Target.self) { settings.target = target }
        try await service.webhooks.save(settings, account: principal.accountSid, logger: context.logger)
        return JSONResponse.make(ConversationWebhookSettingsResource(account: principal.accountSid, settings: settings, publicURL: publicURL))
    }

    private func checkedURL(_ name: String, _ url: String) async throws -> String? {
        if url.isEmpty { return nil }
        try await egress.checkParameter(name, url: url)
        return url
    }

    /// The `Configuration.*` parameters of a scoped webhook.
    private func configuration(_ form: FormParameters) async throws -> ConversationWebhookFields {
        var fields = ConversationWebhookFields()
        if let url = form.first("Configuration.Url") { fields.url = try await checkedURL("Configuration.Url", url) }
        fields.method = try form.deliveryMethod("Configuration.Method")
        let filters = form.all("Configuration.Filters")
        if !filters.isEmpty { fields.filters = try Self.eventNames(filters, parameter: "Configuration.Filters") }
        if let flow = form.first("Configuration.FlowSid") {
            guard SID(flow, prefix: SIDPrefix(rawValue: "FW")) != nil else {
                throw APIError.invalidParameter("Configuration.FlowSid", "must be a Flow SID (FW…)")
            }
            fields.flowSid = flow
        }
        return fields
    }

    /// Twilio's conversation event names (pre- and post-action).
    static let eventNames: Set<String> = [
        "onMessageAdd", "onMessageAdded", "onMessageUpdate", "onMessageUpdated", "onMessageRemove", "onMessageRemoved",
        "onConversationAdd", "onConversationAdded", "onConversationUpdate", "onConversationUpdated", "onConversationRemove",
        "onConversationRemoved", "onConversationStateUpdated", "onParticipantAdd", "onParticipantAdded", "onParticipantUpdate",
        "onParticipantUpdated", "onParticipantRemove", "onParticipantRemoved", "onDeliveryUpdated", "onUserAdded", "onUserUpdate",
        "onUserUpdated",
    ]

    static func eventNames(_ values: [String], parameter: String) throws -> [String] {
        for value in values where !eventNames.contains(value) {
            throw APIError.invalidParameter(parameter, "\(value) is not a conversations event")
        }
        return values
    }

    private func path(_ request: Request, _ context: GatewayRequestContext) async throws -> (Conversation, SID) {
        let conversation = try await ConversationParameters.conversation(request, context, service)
        guard let text = context.pathValue("Sid"), let sid = SID(text, prefix: .conversationWebhook) else {
            throw APIError.notFound(request.uri.path)
        }
        return (conversation, sid)
    }
}
