import Foundation
import Hummingbird
import Messaging
import Platform

/// Conversations v1 `/Conversations/{ConversationSid}/Participants`: chat participants (`Identity`) and SMS
/// participants (`MessagingBinding.Address` through `MessagingBinding.ProxyAddress`, a number of the account).
struct ConversationParticipantsController: Sendable {
    let service: ConversationService
    let publicURL: String

    static let maximumIdentityLength = 256

    func register(on routes: RouteRegistrar) {
        routes.post(ConversationsV1.route("/Conversations/{ConversationSid}/Participants"), create)
        routes.get(ConversationsV1.route("/Conversations/{ConversationSid}/Participants"), list)
        routes.get(ConversationsV1.route("/Conversations/{ConversationSid}/Participants/{Sid}"), fetch)
        routes.post(ConversationsV1.route("/Conversations/{ConversationSid}/Participants/{Sid}"), update)
        routes.delete(ConversationsV1.route("/Conversations/{ConversationSid}/Participants/{Sid}"), delete)
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let conversation = try await ConversationParameters.conversation(request, context, service)
        let form = context.form
        var new = NewConversationParticipant(identity: try Self.identity(form))
        if let text = form.first("MessagingBinding.Address") {
            guard let address = PhoneNumber(lenient: text) else {
                throw APIError.invalidParameter("MessagingBinding.Address", "must be a phone number in E.164 form, such as +14155551212")
            }
            guard let proxyText = form.first("MessagingBinding.ProxyAddress"), let proxy = PhoneNumber(lenient: proxyText) else {
                throw APIError.invalidParameter("MessagingBinding.ProxyAddress", "is required with MessagingBinding.Address: a number of this account")
            }
            new.binding = MessagingBinding(address: address.e164, proxyAddress: proxy.e164)
        }
        if form.first("MessagingBinding.ProjectedAddress") != nil {
            throw APIError.invalidParameter("MessagingBinding.ProjectedAddress", "group MMS is not supported")
        }
        guard new.identity != nil || new.binding != nil else {
            throw APIError.invalidParameter("Identity", "a participant needs an Identity (chat) or a MessagingBinding.Address (SMS)")
        }
        new.attributes = try ConversationParameters.attributes(form)
        new.roleSid = form.first("RoleSid")
        let participant = try await ConversationParameters.translate {
            try await service.addParticipant(new, to: conversation, actor: ConversationParameters.actor(request), logger: context.logger)
        }
        return JSONResponse.make(ConversationParticipantResource(participant: participant, publicURL: publicURL), status: .created)
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let conversation = try await ConversationParameters.conversation(request, context, service)
        let page = try PageRequest(query: context.query)
        let rows = try await service.participants.list(
            conversation: conversation.sid, account: conversation.accountSid, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "participants", page: rows, request: page,
            path: ConversationsV1.path(ConversationsV1.conversationPath(conversation.sid) + "/Participants"), filters: FormParameters(),
            style: .v1(publicURL: publicURL, mount: ConversationsV1.mount)
        ) { ConversationParticipantResource(participant: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (_, participant) = try await find(request, context)
        return JSONResponse.make(ConversationParticipantResource(participant: participant, publicURL: publicURL))
    }

    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (conversation, participant) = try await find(request, context)
        let form = context.form
        var changes = ParticipantChanges()
        changes.identity = try Self.identity(form)
        changes.attributes = try ConversationParameters.attributes(form)
        changes.roleSid = form.first("RoleSid")
        if let text = form.first("LastReadMessageIndex") {
            changes.lastReadMessageIndex = try ParameterValues.integer("LastReadMessageIndex", text, in: 0...Int(Int32.max))
        }
        if let text = form.first("LastReadTimestamp") { changes.lastReadTimestamp = try ParameterValues.date("LastReadTimestamp", text) }
        let updated = try await ConversationParameters.translate {
            try await service.updateParticipant(
                participant, changes, in: conversation, actor: ConversationParameters.actor(request), logger: context.logger)
        }
        guard let updated else { throw APIError.notFound(request.uri.path) }
        return JSONResponse.make(ConversationParticipantResource(participant: updated, publicURL: publicURL))
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (conversation, participant) = try await find(request, context)
        try await ConversationParameters.translate {
            try await service.removeParticipant(participant, from: conversation, actor: ConversationParameters.actor(request), logger: context.logger)
        }
        return Response(status: .noContent)
    }

    /// The conversation and the participant `{Sid}` names (SID or identity); 404 otherwise.
    private func find(_ request: Request, _ context: GatewayRequestContext) async throws -> (Conversation, ConversationParticipant) {
        let conversation = try await ConversationParameters.conversation(request, context, service)
        guard let value = context.pathValue("Sid"),
            let participant = try await service.participants.find(
                value, conversation: conversation.sid, account: conversation.accountSid, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return (conversation, participant)
    }

    private static func identity(_ form: FormParameters) throws -> String? {
        guard let identity = form.first("Identity") else { return nil }
        guard !identity.isEmpty, identity.count <= maximumIdentityLength else {
            throw APIError.invalidParameter("Identity", "must be 1 to \(maximumIdentityLength) characters")
        }
        return identity
    }
}
