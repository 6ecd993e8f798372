import Foundation
import Hummingbird
import Messaging
import Platform

/// Conversations v1 `/Conversations/{ConversationSid}/Messages`: posting (SMS participants get a copy), reading in
/// index order, changing and deleting messages, and each message's SMS copies (`Receipts`).
struct ConversationMessagesController: Sendable {
    let service: ConversationService
    let publicURL: String

    func register(on routes: RouteRegistrar) {
        routes.post(ConversationsV1.route("/Conversations/{ConversationSid}/Messages"), create)
        routes.get(ConversationsV1.route("/Conversations/{ConversationSid}/Messages"), list)
        routes.get(ConversationsV1.route("/Conversations/{ConversationSid}/Messages/{Sid}"), fetch)
        routes.post(ConversationsV1.route("/Conversations/{ConversationSid}/Messages/{Sid}"), update)
        routes.delete(ConversationsV1.route("/Conversations/{ConversationSid}/Messages/{Sid}"), delete)
        routes.get(ConversationsV1.route("/Conversations/{ConversationSid}/Messages/{Sid}/Receipts"), receipts)
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let new: NewConversationMessage
        do {
            new = try Self.newMessage(context.form)
        } catch {
            // A conversation the caller cannot see is 404 whatever the request says.
            _ = try await ConversationParameters.conversation(request, context, service)
            throw error
        }
        let actor = ConversationParameters.actor(request)
        // The common case (by SID, no hooks, no SMS participants) is one statement; anything else looks the conversation up.
        if !actor.firesHooks, let sid = context.pathValue("ConversationSid").flatMap({ SID($0, prefix: .conversation) }),
            let message = try await service.postAlone(new, to: sid, account: try context.requirePrincipal().accountSid, logger: context.logger)
        {
            return JSONResponse.make(ConversationMessageResource(message: message, publicURL: publicURL), status: .created)
        }
        let conversation = try await ConversationParameters.conversation(request, context, service)
        let message = try await ConversationParameters.translate {
            try await service.post(new, to: conversation, actor: actor, logger: context.logger)
        }
        return JSONResponse.make(ConversationMessageResource(message: message, publicURL: publicURL), status: .created)
    }

    /// Messages in index order: `Order=asc` (the default) or `desc`.
    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let conversation = try await ConversationParameters.conversation(request, context, service)
        let page = try PageRequest(query: context.query)
        let order = context.query.first("Order")
        guard order == nil || order == "asc" || order == "desc" else { throw APIError.invalidParameter("Order", "must be asc or desc") }
        let rows = try await service.messages.list(
            conversation: conversation.sid, account: conversation.accountSid, descending: order == "desc", cursor: page.cursor,
            pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "messages", page: rows, request: page,
            path: ConversationsV1.path(ConversationsV1.conversationPath(conversation.sid) + "/Messages"),
            filters: context.query.selecting(["Order"]), style: .v1(publicURL: publicURL, mount: ConversationsV1.mount)
        ) { ConversationMessageResource(message: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (_, message) = try await find(request, context)
        return JSONResponse.make(ConversationMessageResource(message: message, publicURL: publicURL))
    }

    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (conversation, message) = try await find(request, context)
        let form = context.form
        var changes = ConversationMessageChanges()
        changes.body = try Self.body(form)
        changes.author = form.first("Author")
        changes.attributes = try ConversationParameters.attributes(form)
        let updated = try await ConversationParameters.translate {
            try await service.updateMessage(message, changes, in: conversation, actor: ConversationParameters.actor(request), logger: context.logger)
        }
        guard let updated else { throw APIError.notFound(request.uri.path) }
        return JSONResponse.make(ConversationMessageResource(message: updated, publicURL: publicURL))
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (conversation, message) = try await find(request, context)
        try await ConversationParameters.translate {
            try await service.deleteMessage(message, in: conversation, actor: ConversationParameters.actor(request), logger: context.logger)
        }
        return Response(status: .noContent)
    }

    /// A message's SMS copies, one per SMS participant it went to.
    @Sendable func receipts(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (conversation, message) = try await find(request, context)
        let page = try PageRequest(query: context.query)
        let deliveries = try await service.messages.deliveries(
            of: message.sid, conversation: conversation.sid, account: conversation.accountSid, logger: context.logger)
        // A message has one copy per SMS participant: one page holds them all.
        let rows = Page(items: deliveries, firstSequence: nil, lastSequence: nil, hasMore: false)
        let envelope = ListEnvelope(
            key: "delivery_receipts", page: rows, request: page,
            path: ConversationsV1.path(ConversationsV1.conversationPath(conversation.sid) + "/Messages/\(message.sid.rawValue)/Receipts"),
            filters: FormParameters(), style: .v1(publicURL: publicURL, mount: ConversationsV1.mount)
        ) { ConversationDeliveryResource(delivery: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    private func find(_ request: Request, _ context: GatewayRequestContext) async throws -> (Conversation, ConversationMessage) {
        let conversation = try await ConversationParameters.conversation(request, context, service)
        guard let value = context.pathValue("Sid"),
            let message = try await service.messages.find(value, conversation: conversation.sid, account: conversation.accountSid, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return (conversation, message)
    }

    /// The message a create request asks for, checked.
    static func newMessage(_ form: FormParameters) throws -> NewConversationMessage {
        if form.first("MediaSid") != nil || form.first("ContentSid") != nil {
            throw APIError.invalidParameter("MediaSid", "media and content templates are not supported; send a Body")
        }
        guard let body = try Self.body(form) else { throw APIError.invalidParameter("Body", "is required") }
        let author = form.first("Author").flatMap { $0.isEmpty ? nil : $0 } ?? "system"
        return NewConversationMessage(author: author, body: body, attributes: try ConversationParameters.attributes(form))
    }

    /// `Body`: at most 32 KB; nil when absent.
    static func body(_ form: FormParameters) throws -> String? {
        guard let body = form.first("Body") else { return nil }
        guard body.utf8.count <= ConversationMessageRepository.maximumBodyBytes else {
            throw APIError.invalidParameter("Body", "must be at most \(ConversationMessageRepository.maximumBodyBytes) bytes")
        }
        return body
    }
}
