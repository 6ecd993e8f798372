import Foundation
import Logging
import Platform
import PostgresNIO

/// Conversations as their users act on them (REST, chat clients, SMS): each action runs the account's pre-action
/// hook, commits with its post-action hooks, sends SMS copies of messages to SMS participants, and tells the
/// conversation's connected chat clients.
public struct ConversationService: Sendable {
    public let conversations: ConversationRepository
    public let participants: ConversationParticipantRepository
    public let messages: ConversationMessageRepository
    public let webhooks: ConversationWebhookRepository
    public let hub: ConversationHub
    let database: Database
    let outbox: EventOutbox
    let sms: MessageRepository
    let hooks: ConversationHooks
    let sending: Alarm
    /// Participants a conversation may have.
    public let maximumParticipants: Int
    private let batches: BatchWriter<PendingConversationMessage, ConversationMessage?>

    public init(
        database: Database, outbox: EventOutbox, sms: MessageRepository, hooks: ConversationHooks, hub: ConversationHub, sending: Alarm,
        maximumParticipants: Int
    ) {
        self.conversations = ConversationRepository(database: database)
        self.participants = ConversationParticipantRepository(database: database)
        self.messages = ConversationMessageRepository(database: database)
        self.webhooks = ConversationWebhookRepository(database: database)
        self.hub = hub
        self.database = database
        self.outbox = outbox
        self.sms = sms
        self.hooks = hooks
        self.sending = sending
        self.maximumParticipants = maximumParticipants
        let logger = Logger(label: "parley.conversations")
        self.batches = BatchWriter(maximumBatch: 256) { [hub] batch in
            let added = try await ConversationMessageBatch.add(batch, database: database, logger: logger)
            // Published in index order here: concurrent callers would publish in any order.
            for message in added.compactMap({ $0 }).sorted(by: { $0.index < $1.index }) { hub.publish(.messageAdded(message)) }
            return added
        }
    }

    // MARK: Conversations

    public func create(_ fields: ConversationFields, account: SID, actor: ConversationActor, logger: Logger) async throws -> Conversation {
        var fields = fields
        let changes = try await pre("onConversationAdd", ConversationHookParameters.conversationAdd(fields, account: account), account, actor, logger)
        if let name = changes["friendly_name"] { fields.friendlyName = name }
        return try await commit(logger: logger) { connection in
            let conversation = try await conversations.create(fields, account: account, on: connection, logger: logger)
            let queued = try await post("onConversationAdded", ConversationHookParameters.conversation(conversation), conversation, actor, connection, logger)
            return (conversation, queued)
        }
    }

    /// Nil: no such conversation.
    public func update(_ conversation: Conversation, _ fields: ConversationFields, actor: ConversationActor, logger: Logger) async throws -> Conversation? {
        var fields = fields
        let changes = try await pre(
            "onConversationUpdate", ConversationHookParameters.conversation(conversation), conversation.accountSid, actor, logger)
        if let name = changes["friendly_name"] { fields.friendlyName = name }
        let updated = try await commit(logger: logger) { connection -> (Conversation?, Bool) in
            guard let updated = try await conversations.update(conversation.sid, fields, account: conversation.accountSid, on: connection, logger: logger)
            else { return (nil, false) }
            var queued = try await post("onConversationUpdated", ConversationHookParameters.conversation(updated), updated, actor, connection, logger)
            if updated.state != conversation.state {
                let parameters = [
                    ("ConversationSid", updated.sid.rawValue), ("ChatServiceSid", updated.chatServiceSid), ("StateFrom", conversation.state.rawValue),
                    ("StateTo", updated.state.rawValue), ("StateUpdated", TwilioDate.iso8601(updated.dateUpdated)), ("Reason", "API"),
                ]
                queued = try await post("onConversationStateUpdated", parameters, updated, actor, connection, logger) || queued
            }
            return (updated, queued)
        }
        if let updated { hub.publish(.conversationUpdated(updated)) }
        return updated
    }

    public func delete(_ conversation: Conversation, actor: ConversationActor, logger: Logger) async throws {
        _ = try await pre("onConversationRemove", ConversationHookParameters.conversation(conversation), conversation.accountSid, actor, logger)
        try await commit(logger: logger) { connection -> (Void, Bool) in
            // Queued first: the conversation's own webhooks go with it.
            let parameters = ConversationHookParameters.conversation(conversation) + [("DateRemoved", TwilioDate.iso8601(.now))]
            let queued = try await post("onConversationRemoved", parameters, conversation, actor, connection, logger)
            _ = try await conversations.delete(conversation.sid, account: conversation.accountSid, on: connection, logger: logger)
            return ((), queued)
        }
        hub.publish(.conversationRemoved(conversation))
    }

    // MARK: Participants

    public func addParticipant(
        _ new: NewConversationParticipant, to conversation: Conversation, actor: ConversationActor, logger: Logger
    ) async throws -> ConversationParticipant {
        var new = new
        let changes = try await pre(
            "onParticipantAdd", ConversationHookParameters.participantAdd(new, conversation: conversation.sid), conversation.accountSid, actor, logger)
        if let attributes = changes["attributes"] { new.attributes = attributes }
        let participant = try await commit(logger: logger) { connection in
            try await lock(conversation, on: connection, logger: logger)
            let participant = try await participants.add(
                new, to: conversation, maximumParticipants: maximumParticipants, on: connection, logger: logger)
            let queued = try await post(
                "onParticipantAdded", ConversationHookParameters.participant(participant), conversation, actor, connection, logger)
            return (participant, queued)
        }
        hub.publish(.participantJoined(participant))
        return participant
    }

    public func updateParticipant(
        _ participant: ConversationParticipant, _ changes: ParticipantChanges, in conversation: Conversation, actor: ConversationActor,
        logger: Logger
    ) async throws -> ConversationParticipant? {
        _ = try await pre("onParticipantUpdate", ConversationHookParameters.participant(participant), conversation.accountSid, actor, logger)
        let updated = try await commit(logger: logger) { connection -> (ConversationParticipant?, Bool) in
            guard let updated = try await participants.update(
                participant.sid, changes, conversation: conversation.sid, account: conversation.accountSid, on: connection, logger: logger)
            else { return (nil, false) }
            let queued = try await post(
                "onParticipantUpdated", ConversationHookParameters.participant(updated), conversation, actor, connection, logger)
            return (updated, queued)
        }
        if let updated { hub.publish(.participantUpdated(updated)) }
        return updated
    }

    public func removeParticipant(
        _ participant: ConversationParticipant, from conversation: Conversation, actor: ConversationActor, logger: Logger
    ) async throws {
        _ = try await pre("onParticipantRemove", ConversationHookParameters.participant(participant), conversation.accountSid, actor, logger)
        try await commit(logger: logger) { connection -> (Void, Bool) in
            guard try await participants.remove(
                participant.sid, conversation: conversation.sid, account: conversation.accountSid, on: connection, logger: logger) != nil
            else { return ((), false) }
            let queued = try await post(
                "onParticipantRemoved", ConversationHookParameters.participant(participant), conversation, actor, connection, logger)
            return ((), queued)
        }
        hub.publish(.participantLeft(participant))
    }

    // MARK: Messages

    /// Posts a message; every SMS participant but its author gets it as an SMS from their proxy address.
    public func post(
        _ new: NewConversationMessage, to conversation: Conversation, actor: ConversationActor, logger: Logger
    ) async throws -> ConversationMessage {
        if !actor.firesHooks, let message = try await postAlone(new, to: conversation.sid, account: conversation.accountSid, logger: logger) {
            return message
        }
        var new = new
        let changes = try await pre(
            "onMessageAdd", ConversationHookParameters.messageAdd(new, conversation: conversation.sid), conversation.accountSid, actor, logger)
        if let body = changes["body"] { new.body = body }
        if let author = changes["author"] { new.author = author }
        if let attributes = changes["attributes"] { new.attributes = attributes }
        let (message, copies) = try await commit(logger: logger) { connection -> ((ConversationMessage, Int), Bool) in
            guard let added = try await messages.add(
                new, conversation: conversation.sid, account: conversation.accountSid, on: connection, logger: logger)
            else { throw ConversationError.closed }
            var message = added.message
            let copies = added.smsParticipants == 0
                ? 0 : try await sendCopies(of: message, conversation: conversation, actor: actor, on: connection, logger: logger)
            if copies > 0 { message.delivery = DeliverySummary(total: copies, counts: [:]) }
            let queued = try await post("onMessageAdded", ConversationHookParameters.message(message), conversation, actor, connection, logger)
            return ((message, copies), queued || copies > 0)
        }
        if copies > 0 { sending.ring() }
        hub.publish(.messageAdded(message))
        return message
    }

    /// Posts a message that fires no hooks in one statement, without a transaction, if the conversation (open) has no
    /// SMS participants to copy it to. Nil otherwise, or when there is no such conversation: use
    /// ``post(_:to:actor:logger:)``.
    public func postAlone(_ new: NewConversationMessage, to conversation: SID, account: SID, logger: Logger) async throws -> ConversationMessage? {
        try await batches.submit(
            PendingConversationMessage(sid: SID.generate(.conversationMessage), account: account, conversation: conversation, new: new))
    }

    /// Queues the SMS copies of `message`; returns how many.
    private func sendCopies(
        of message: ConversationMessage, conversation: Conversation, actor: ConversationActor, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Int {
        guard let body = message.body, !body.isEmpty else { return 0 }
        var copies = 0
        for participant in try await participants.smsParticipants(conversation: conversation.sid, on: connection, logger: logger) {
            guard let binding = participant.binding else { continue }
            if case .sms(let address) = actor, address == binding.address { continue }
            guard let from = PhoneNumber(lenient: binding.proxyAddress), let to = PhoneNumber(lenient: binding.address) else { continue }
            let sent = try await sms.create(NewMessage(from: from, to: to, body: body), account: conversation.accountSid, on: connection, logger: logger)
            try await messages.recordDelivery(of: message, to: participant.sid, as: sent.sid, on: connection, logger: logger)
            copies += 1
        }
        return copies
    }

    public func updateMessage(
        _ message: ConversationMessage, _ changes: ConversationMessageChanges, in conversation: Conversation, actor: ConversationActor,
        logger: Logger
    ) async throws -> ConversationMessage? {
        var changes = changes
        let verdict = try await pre("onMessageUpdate", ConversationHookParameters.message(message), conversation.accountSid, actor, logger)
        if let body = verdict["body"] { changes.body = body }
        if let author = verdict["author"] { changes.author = author }
        if let attributes = verdict["attributes"] { changes.attributes = attributes }
        let updated = try await commit(logger: logger) { connection -> (ConversationMessage?, Bool) in
            guard let updated = try await messages.update(
                message.sid, changes, conversation: conversation.sid, account: conversation.accountSid, on: connection, logger: logger)
            else { return (nil, false) }
            return (updated, try await post("onMessageUpdated", ConversationHookParameters.message(updated), conversation, actor, connection, logger))
        }
        if let updated { hub.publish(.messageUpdated(updated)) }
        return updated
    }

    public func deleteMessage(_ message: ConversationMessage, in conversation: Conversation, actor: ConversationActor, logger: Logger) async throws {
        _ = try await pre("onMessageRemove", ConversationHookParameters.message(message), conversation.accountSid, actor, logger)
        try await commit(logger: logger) { connection -> (Void, Bool) in
            guard try await messages.delete(
                message.sid, conversation: conversation.sid, account: conversation.accountSid, on: connection, logger: logger) != nil
            else { return ((), false) }
            let parameters = ConversationHookParameters.message(message) + [("DateRemoved", TwilioDate.iso8601(.now))]
            return ((), try await post("onMessageRemoved", parameters, conversation, actor, connection, logger))
        }
        hub.publish(.messageRemoved(message))
    }

    // MARK: Webhooks

    /// Adds a conversation-scoped webhook (at most ``ConversationWebhookRepository/maximumPerConversation``).
    public func addWebhook(_ fields: ConversationWebhookFields, to conversation: Conversation, logger: Logger) async throws -> ConversationWebhook {
        try await database.withTransaction(logger: logger) { connection in
            try await lock(conversation, on: connection, logger: logger)
            return try await webhooks.create(fields, conversation: conversation.sid, account: conversation.accountSid, on: connection, logger: logger)
        }
    }

    // MARK: Inbound SMS

    /// Adds an SMS to the conversation in which its sender is bound to the number it was sent to (authored by the
    /// sender's address). False: no conversation that is not closed binds the pair.
    public func receive(_ sms: Message, logger: Logger) async throws -> Bool {
        let binding = MessagingBinding(address: sms.from, proxyAddress: sms.to)
        let bound = try await database.withConnection { connection in
            try await ConversationParticipantRepository.boundConversation(binding, account: sms.accountSid, on: connection, logger: logger)
        }
        guard let sid = bound, let conversation = try await conversations.find(sid.rawValue, account: sms.accountSid, logger: logger) else {
            return false
        }
        _ = try await post(NewConversationMessage(author: sms.from, body: sms.body), to: conversation, actor: .sms(address: sms.from), logger: logger)
        return true
    }

    // MARK: Plumbing

    private func pre(
        _ event: String, _ parameters: [(String, String)], _ account: SID, _ actor: ConversationActor, _ logger: Logger
    ) async throws -> [String: String] {
        guard actor.firesHooks else { return [:] }
        let settings = try await webhooks.settings(account: account, logger: logger)
        switch try await hooks.pre(event, parameters: parameters, account: account, actor: actor, settings: settings, logger: logger) {
        case .proceed(let changes): return changes
        case .rejected(let status): throw ConversationError.rejectedByHook(status: status)
        }
    }

    private func post(
        _ event: String, _ parameters: [(String, String)], _ conversation: Conversation, _ actor: ConversationActor,
        _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> Bool {
        try await ConversationHooks.post(
            event, parameters: parameters, conversation: conversation.sid, account: conversation.accountSid, actor: actor, on: connection,
            logger: logger)
    }

    /// Runs `body` in a transaction; wakes the delivery dispatcher after the commit when `body` queued deliveries.
    private func commit<Result: Sendable>(
        logger: Logger, _ body: (PostgresConnection) async throws -> (Result, Bool)
    ) async throws -> Result {
        let (result, queued) = try await database.withTransaction(logger: logger) { try await body($0) }
        if queued { outbox.committed() }
        return result
    }

    /// Locks the conversation's row: participant and webhook changes of one conversation take turns.
    private func lock(_ conversation: Conversation, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT 1 FROM conversations WHERE sid = \(conversation.sid.rawValue) FOR UPDATE", logger: logger)
    }
}
