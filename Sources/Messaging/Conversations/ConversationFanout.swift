import Foundation
import Logging
import Platform
import PostgresNIO

/// Carries conversations' news between gateway processes: what one process publishes on its hub, the others
/// publish on theirs, so a chat client gets live news whichever gateway it is connected to.
///
/// News travels as `NOTIFY parley_conversations` after the change committed: a few words per item (kinds and SIDs),
/// batched; receivers read the rows the SIDs name. A notification lost (a process dying in between, or a listener
/// reconnecting) costs live delivery only: clients catch up from the database when they subscribe again.
public final class ConversationFanout: Sendable {
    public static let channel = "parley_conversations"
    /// PostgreSQL's limit on a payload is 8000 bytes.
    static let maximumPayload = 7_500

    let origin = SID.generate(.request).rawValue
    private let database: Database
    private let logger: Logger
    private let notices: BatchWriter<String, Void>

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
        let origin = origin
        notices = BatchWriter(maximumBatch: 500) { lines in
            do {
                for payload in Self.payloads(origin: origin, lines: lines) {
                    try await database.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: logger)
                }
            } catch {
                logger.warning("could not tell other gateways of conversation news", metadata: ["error": "\(error)"])
            }
            return lines.map { _ in () }
        }
    }

    /// Queues `news` for the other processes.
    func announce(_ news: ConversationNews) {
        notices.enqueue(Self.line(news))
    }

    /// Subscribes to the other processes' news, published on `hub`.
    public func listen(with listener: NotificationListener, hub: ConversationHub) {
        listener.on(Self.channel) { [self] payload in
            await self.receive(payload, hub: hub)
        }
    }

    static func line(_ news: ConversationNews) -> String {
        switch news {
        case .messageAdded(let message): "ma \(message.conversationSid) \(message.sid)"
        case .messageUpdated(let message): "mu \(message.conversationSid) \(message.sid)"
        case .messageRemoved(let message): "mr \(message.conversationSid) \(message.sid) \(message.accountSid) \(message.index)"
        case .participantJoined(let participant): "pj \(participant.conversationSid) \(participant.sid)"
        case .participantUpdated(let participant): "pu \(participant.conversationSid) \(participant.sid)"
        case .participantLeft(let participant):
            "pl \(participant.conversationSid) \(participant.sid) \(participant.accountSid) \(encode(participant.identity ?? ""))"
        case .conversationUpdated(let conversation): "cu \(conversation.sid)"
        case .conversationRemoved(let conversation): "cr \(conversation.sid) \(conversation.accountSid)"
        case .typing(let conversation, let identity): "ty \(conversation) \(encode(identity))"
        }
    }

    /// Lines grouped into payloads under the size limit, each starting with the sender's origin.
    static func payloads(origin: String, lines: [String]) -> [String] {
        var payloads: [String] = []
        var current = origin
        for line in lines {
            if current.utf8.count + line.utf8.count + 1 > maximumPayload {
                payloads.append(current)
                current = origin
            }
            current += "\n" + line
        }
        if current != origin { payloads.append(current) }
        return payloads
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// Publishes another process's news here, reading what the SIDs name; removed things are described by the line.
    func receive(_ payload: String, hub: ConversationHub) async {
        var lines = payload.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        guard !lines.isEmpty, lines.removeFirst() != [origin] else { return }
        do {
            let messageSIDs = lines.filter { ["ma", "mu"].contains($0[0]) && $0.count >= 3 }.map { $0[2] }
            let messages = try await rows(
                "SELECT \(unescaped: ConversationRows.messageColumns) FROM conversation_messages m WHERE m.sid = ANY(\(messageSIDs))",
                skip: messageSIDs.isEmpty
            ).map { try ConversationRows.message($0).item }
            let messagesBySID = Dictionary(messages.map { ($0.sid.rawValue, $0) }, uniquingKeysWith: { first, _ in first })
            for fields in lines where fields.count >= 2 {
                guard let news = try await news(fields, messages: messagesBySID) else { continue }
                hub.publishLocally(news)
            }
        } catch {
            logger.warning("could not read another gateway's conversation news", metadata: ["error": "\(error)"])
        }
    }

    private func news(_ fields: [String], messages: [String: ConversationMessage]) async throws -> ConversationNews? {
        guard let conversation = SID(fields[1]) else { return nil }
        switch (fields[0], fields.count) {
        case ("ma", 3): return messages[fields[2]].map(ConversationNews.messageAdded)
        case ("mu", 3): return messages[fields[2]].map(ConversationNews.messageUpdated)
        case ("mr", 5):
            guard let sid = SID(fields[2]), let account = SID(fields[3]), let index = Int(fields[4]) else { return nil }
            return .messageRemoved(ConversationMessage(
                sid: sid, accountSid: account, conversationSid: conversation, index: index, author: "", body: nil, attributes: "{}",
                participantSid: nil, delivery: nil, dateCreated: .now, dateUpdated: .now))
        case ("pj", 3), ("pu", 3):
            let found = try await rows(
                "SELECT \(unescaped: ConversationRows.participantColumns) FROM conversation_participants WHERE sid = \(fields[2])", skip: false
            ).first.map { try ConversationRows.participant($0).item }
            return found.map { fields[0] == "pj" ? .participantJoined($0) : .participantUpdated($0) }
        case ("pl", 5):
            guard let sid = SID(fields[2]), let account = SID(fields[3]) else { return nil }
            let identity = fields[4].removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 }
            return .participantLeft(ConversationParticipant(
                sid: sid, accountSid: account, conversationSid: conversation, identity: identity, binding: nil, attributes: "{}",
                roleSid: nil, lastReadMessageIndex: nil, lastReadTimestamp: nil, dateCreated: .now, dateUpdated: .now))
        case ("cu", 2):
            let found = try await rows(
                "SELECT \(unescaped: ConversationRows.conversationColumns) FROM conversations WHERE sid = \(conversation.rawValue)", skip: false
            ).first.map { try ConversationRows.conversation($0).item }
            return found.map(ConversationNews.conversationUpdated)
        case ("cr", 3):
            guard let account = SID(fields[2]) else { return nil }
            return .conversationRemoved(Conversation(
                sid: conversation, accountSid: account, uniqueName: nil, friendlyName: nil, attributes: "{}", state: .closed,
                messagingServiceSid: nil, timers: ConversationTimers(), dateInactive: nil, dateClosed: nil, lastMessageIndex: -1,
                dateCreated: .now, dateUpdated: .now))
        case ("ty", 3):
            return fields[2].removingPercentEncoding.map { .typing(conversation: conversation, identity: $0) }
        default:
            return nil
        }
    }

    private func rows(_ query: PostgresQuery, skip: Bool) async throws -> [PostgresRow] {
        skip ? [] : try await database.query(query, logger: logger)
    }
}
