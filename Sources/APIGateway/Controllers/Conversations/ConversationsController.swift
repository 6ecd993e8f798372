import Foundation
import Hummingbird
import Messaging
import Platform

/// Conversations v1 `/Conversations`: create, list, fetch (by `CH…` SID or unique name), update, delete (with
/// everything in it). The caller's own conversations only.
struct ConversationsController: Sendable {
    let service: ConversationService
    let publicURL: String

    static let maximumNameLength = 256

    func register(on routes: RouteRegistrar) {
        routes.post(ConversationsV1.route("/Conversations"), create)
        routes.get(ConversationsV1.route("/Conversations"), list)
        routes.get(ConversationsV1.route("/Conversations/{ConversationSid}"), fetch)
        routes.post(ConversationsV1.route("/Conversations/{ConversationSid}"), update)
        routes.delete(ConversationsV1.route("/Conversations/{ConversationSid}"), delete)
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let fields = try Self.fields(context.form)
        let conversation = try await ConversationParameters.translate {
            try await service.create(fields, account: principal.accountSid, actor: ConversationParameters.actor(request), logger: context.logger)
        }
        return JSONResponse.make(ConversationResource(conversation: conversation, publicURL: publicURL), status: .created)
    }

    /// The caller's conversations, oldest first; `State` filters.
    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let page = try PageRequest(query: context.query)
        let state = try context.query.choice("State", as: ConversationState.self)
        let rows = try await service.conversations.list(
            account: principal.accountSid, state: state, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "conversations", page: rows, request: page, path: ConversationsV1.path("/Conversations"),
            filters: context.query.selecting(["State"]), style: .v1(publicURL: publicURL, mount: ConversationsV1.mount)
        ) { ConversationResource(conversation: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let conversation = try await ConversationParameters.conversation(request, context, service)
        return JSONResponse.make(ConversationResource(conversation: conversation, publicURL: publicURL))
    }

    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let conversation = try await ConversationParameters.conversation(request, context, service)
        let fields = try Self.fields(context.form)
        if conversation.state == .closed, let state = fields.state, state != .closed {
            throw APIError.invalidParameter("State", "a closed conversation stays closed")
        }
        let updated = try await ConversationParameters.translate {
            try await service.update(conversation, fields, actor: ConversationParameters.actor(request), logger: context.logger)
        }
        guard let updated else { throw APIError.notFound(request.uri.path) }
        return JSONResponse.make(ConversationResource(conversation: updated, publicURL: publicURL))
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let conversation = try await ConversationParameters.conversation(request, context, service)
        try await ConversationParameters.translate {
            try await service.delete(conversation, actor: ConversationParameters.actor(request), logger: context.logger)
        }
        return Response(status: .noContent)
    }

    /// The fields a create or update request sets, checked.
    static func fields(_ form: FormParameters) throws -> ConversationFields {
        var fields = ConversationFields()
        for (name, value) in [("FriendlyName", form.first("FriendlyName")), ("UniqueName", form.first("UniqueName"))] {
            if let value, value.count > maximumNameLength {
                throw APIError.invalidParameter(name, "must be at most \(maximumNameLength) characters")
            }
        }
        fields.friendlyName = form.first("FriendlyName")
        if let name = form.first("UniqueName") {
            // A SID-shaped unique name would be ambiguous in paths that take either.
            guard !name.isEmpty, SID(name, prefix: .conversation) == nil else {
                throw APIError.invalidParameter("UniqueName", "must not be empty or look like a conversation SID")
            }
            fields.uniqueName = name
        }
        fields.attributes = try ConversationParameters.attributes(form)
        fields.state = try form.choice("State", as: ConversationState.self)
        if let sid = form.first("MessagingServiceSid") {
            guard SID(sid, prefix: SIDPrefix(rawValue: "MG")) != nil else {
                throw APIError.invalidParameter("MessagingServiceSid", "must be a Messaging Service SID (MG…)")
            }
            fields.messagingServiceSid = sid
        }
        // Twilio's minimums: a minute before inactive, ten before closed.
        fields.timers.inactiveAfter = try ConversationParameters.duration(form, "Timers.Inactive", minimum: 60)
        fields.timers.closedAfter = try ConversationParameters.duration(form, "Timers.Closed", minimum: 600)
        return fields
    }
}
