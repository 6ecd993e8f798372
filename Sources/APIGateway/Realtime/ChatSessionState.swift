import Foundation
import Logging
import Messaging
import Platform
import Synchronization

/// What a ``ChatSession`` knows: who the client is and the conversations it follows. Used only by the session's
/// one task (the mutex only satisfies `Sendable`).
final class ChatSessionState: Sendable {
    struct Subscription {
        var hubToken: Int
        /// The index the next `message_added` must have; messages below it were sent already.
        var nextIndex: Int
    }

    struct Identity {
        var claims: AccessTokenClaims
        var name: String
    }

    private struct Fields {
        var identity: Identity?
        var subscriptions: [SID: Subscription] = [:]
        var expiry: Task<Void, Never>?
    }

    let service: ConversationService
    let tokens: AccessTokenVerifier
    let publicURL: String
    let logger: Logger
    private let fields = Mutex(Fields())

    /// Messages read from the database at once when catching up.
    static let backlogPage = 500

    init(service: ConversationService, tokens: AccessTokenVerifier, publicURL: String, logger: Logger) {
        self.service = service
        self.tokens = tokens
        self.publicURL = publicURL
        self.logger = logger
    }

    /// Returns false when the session must end.
    func handle(_ input: ChatSession.Input, session: ChatSession) async -> Bool {
        switch input {
        case .authenticationDeadline:
            if fields.withLock({ $0.identity != nil }) { return true }
            _ = session.send(ChatFrames.error(20101, "authenticate first"))
            return false
        case .tokenExpired:
            _ = session.send(ChatFrames.error(20104, "token expired"))
            return false
        case .news(let news):
            return await deliver(news, session: session)
        case .frame(let text):
            guard let request = ChatFrames.parse(text) else {
                return session.send(ChatFrames.error(20001, "a frame must be a JSON object with a type"))
            }
            guard let identity = fields.withLock({ $0.identity }) else {
                guard request.type == "authenticate" else {
                    _ = session.send(ChatFrames.error(20101, "authenticate first", id: request.id))
                    return false
                }
                return await authenticate(request, session: session)
            }
            do {
                return try await perform(request, identity: identity, session: session)
            } catch let error as APIError {
                return session.send(ChatFrames.error(error.code, error.message, id: request.id))
            } catch let error as ConversationError {
                let apiError = ConversationParameters.apiError(error)
                return session.send(ChatFrames.error(apiError.code, apiError.message, id: request.id))
            } catch {
                logger.error("chat request failed", metadata: ["type": "\(request.type)", "error": "\(error)"])
                return session.send(ChatFrames.error(20500, "Internal server error", id: request.id))
            }
        }
    }

    private func authenticate(_ request: ChatFrames.Request, session: ChatSession) async -> Bool {
        do {
            let identity = try await verify(request.string("token"))
            fields.withLock { $0.identity = identity }
            schedule(expiryOf: identity, session: session)
            return session.send(ChatFrames.frame("ready", id: request.id) { json in
                json.field("identity", identity.name)
                json.field("account_sid", identity.claims.accountSid.rawValue)
            })
        } catch {
            let apiError = error as? APIError ?? APIError.authenticationFailed
            _ = session.send(ChatFrames.error(apiError.code, apiError.message, id: request.id))
            return false
        }
    }

    private func verify(_ token: String?) async throws -> Identity {
        guard let token else { throw APIError(status: 401, code: 20101, message: "token is required") }
        let claims = try await tokens.verify(token, logger: logger)
        guard claims.chatGrant, let name = claims.identity, !name.isEmpty else {
            throw APIError(status: 401, code: 20106, message: "the token has no chat grant with an identity")
        }
        return Identity(claims: claims, name: name)
    }

    private func schedule(expiryOf identity: Identity, session: ChatSession) {
        let delay = max(0, identity.claims.expiresAt.timeIntervalSinceNow)
        let task = Task {
            try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            if !Task.isCancelled { session.expire() }
        }
        fields.withLock { fields in
            fields.expiry?.cancel()
            fields.expiry = task
        }
    }

    private func perform(_ request: ChatFrames.Request, identity: Identity, session: ChatSession) async throws -> Bool {
        let account = identity.claims.accountSid
        switch request.type {
        case "list":
            let memberships = try await service.participants.memberships(identity: identity.name, account: account, logger: logger)
            return session.send(ChatFrames.frame("conversations", id: request.id) { json in
                json.field("conversations", objects: memberships) { membership, object in
                    ChatFrames.membership(membership.0, membership.1, publicURL: publicURL, into: &object)
                }
            })
        case "subscribe":
            let (conversation, _) = try await membership(request, identity: identity)
            return try await subscribe(conversation, after: request.integer("after"), id: request.id, session: session)
        case "unsubscribe":
            let (conversation, _) = try await membership(request, identity: identity)
            unsubscribe(conversation.sid)
            return session.send(ChatFrames.frame("unsubscribed", id: request.id) { $0.field("conversation", conversation.sid.rawValue) })
        case "send":
            let (conversation, _) = try await membership(request, identity: identity)
            guard let body = request.string("body"), !body.isEmpty else { throw APIError.invalidParameter("body", "is required") }
            guard body.utf8.count <= ConversationMessageRepository.maximumBodyBytes else {
                throw APIError.invalidParameter("body", "must be at most \(ConversationMessageRepository.maximumBodyBytes) bytes")
            }
            let attributes = try request.string("attributes").map { try ConversationParameters.attributes(FormParameters([("attributes", $0)]), "attributes") } ?? nil
            let message = try await service.post(
                NewConversationMessage(author: identity.name, body: body, attributes: attributes), to: conversation,
                actor: .sdk(identity: identity.name), logger: logger)
            return session.send(ChatFrames.messageFrame("sent", message, publicURL, id: request.id))
        case "typing":
            let (conversation, _) = try await membership(request, identity: identity)
            service.hub.publish(.typing(conversation: conversation.sid, identity: identity.name))
            return true
        case "read":
            let (conversation, participant) = try await membership(request, identity: identity)
            guard let index = request.integer("index"), index >= 0 else { throw APIError.invalidParameter("index", "must be a message index") }
            var changes = ParticipantChanges()
            changes.lastReadMessageIndex = index
            _ = try await service.updateParticipant(participant, changes, in: conversation, actor: .sdk(identity: identity.name), logger: logger)
            return true
        case "token":
            let renewed = try await verify(request.string("token"))
            guard renewed.name == identity.name, renewed.claims.accountSid == account else {
                throw APIError.invalidParameter("token", "must be for the same identity and account")
            }
            fields.withLock { $0.identity = renewed }
            schedule(expiryOf: renewed, session: session)
            return session.send(ChatFrames.frame("token_updated", id: request.id))
        default:
            throw APIError.invalidParameter("type", "\(request.type) is not a request of this protocol")
        }
    }

    /// The conversation the request names and the client's participant in it; 20404 when it is not one.
    private func membership(_ request: ChatFrames.Request, identity: Identity) async throws -> (Conversation, ConversationParticipant) {
        let account = identity.claims.accountSid
        guard let name = request.string("conversation"),
            let conversation = try await service.conversations.find(name, account: account, logger: logger),
            let participant = try await service.participants.find(identity.name, conversation: conversation.sid, account: account, logger: logger),
            participant.identity == identity.name
        else {
            throw APIError(status: 404, code: 20404, message: "no conversation \(request.string("conversation") ?? "") with this identity in it")
        }
        return (conversation, participant)
    }

    /// Follows the conversation from now on; with `after`, first sends every message after that index. The hub
    /// subscription comes first, so nothing committed meanwhile is missed (duplicates are dropped by index).
    private func subscribe(_ conversation: Conversation, after: Int?, id: Any?, session: ChatSession) async throws -> Bool {
        unsubscribe(conversation.sid)
        let token = service.hub.subscribe(to: conversation.sid) { [weak session] news in session?.deliver(news) }
        guard let current = try await service.conversations.find(conversation.sid.rawValue, account: conversation.accountSid, logger: logger) else {
            service.hub.unsubscribe(token, from: conversation.sid)
            throw APIError(status: 404, code: 20404, message: "no conversation \(conversation.sid)")
        }
        let start = after.map { $0 + 1 } ?? current.lastMessageIndex + 1
        fields.withLock { $0.subscriptions[conversation.sid] = Subscription(hubToken: token, nextIndex: start) }
        guard session.send(ChatFrames.frame("subscribed", id: id) { json in
            json.field("conversation", conversation.sid.rawValue)
            json.field("last_message_index", current.lastMessageIndex)
        }) else { return false }
        return try await catchUp(conversation.sid, through: nil, session: session)
    }

    /// Sends the conversation's messages from the subscription's next index on (through `last`, or all), in order.
    private func catchUp(_ conversation: SID, through last: Int?, session: ChatSession) async throws -> Bool {
        while let next = fields.withLock({ $0.subscriptions[conversation]?.nextIndex }) {
            let page = try await service.messages.after(index: next - 1, conversation: conversation, limit: Self.backlogPage, logger: logger)
            for message in page where last.map({ message.index <= $0 }) ?? true {
                guard session.send(ChatFrames.news(.messageAdded(message), publicURL: publicURL)) else { return false }
                fields.withLock { $0.subscriptions[conversation]?.nextIndex = message.index + 1 }
            }
            if page.count < Self.backlogPage || last.map({ page.last!.index >= $0 }) == true { break }
        }
        return true
    }

    private func deliver(_ news: ConversationNews, session: ChatSession) async -> Bool {
        let conversation = news.conversationSid
        guard let subscription = fields.withLock({ $0.subscriptions[conversation] }) else { return true }
        let me = fields.withLock { $0.identity?.name }
        switch news {
        case .messageAdded(let message):
            if message.index < subscription.nextIndex { return true }
            if message.index > subscription.nextIndex {
                // Published out of order, or a gap: the database has every message up to this one.
                do {
                    guard try await catchUp(conversation, through: message.index - 1, session: session) else { return false }
                } catch {
                    logger.error("could not catch a chat client up", metadata: ["error": "\(error)"])
                }
            }
            fields.withLock { $0.subscriptions[conversation]?.nextIndex = message.index + 1 }
            return session.send(ChatFrames.news(news, publicURL: publicURL))
        case .typing(_, let identity) where identity == me:
            return true
        case .participantLeft(let participant) where participant.identity == me:
            unsubscribe(conversation)
        case .conversationRemoved:
            unsubscribe(conversation)
        default:
            break
        }
        return session.send(ChatFrames.news(news, publicURL: publicURL))
    }

    private func unsubscribe(_ conversation: SID) {
        guard let subscription = fields.withLock({ $0.subscriptions.removeValue(forKey: conversation) }) else { return }
        service.hub.unsubscribe(subscription.hubToken, from: conversation)
    }

    func unsubscribeAll() {
        let (subscriptions, expiry) = fields.withLock { fields in
            defer { fields.subscriptions = [:] }
            return (fields.subscriptions, fields.expiry)
        }
        expiry?.cancel()
        for (conversation, subscription) in subscriptions { service.hub.unsubscribe(subscription.hubToken, from: conversation) }
    }
}
