import Platform
import Synchronization

/// News of a conversation for its connected chat clients.
public enum ConversationNews: Sendable {
    case messageAdded(ConversationMessage)
    case messageUpdated(ConversationMessage)
    case messageRemoved(ConversationMessage)
    case participantJoined(ConversationParticipant)
    case participantUpdated(ConversationParticipant)
    case participantLeft(ConversationParticipant)
    case conversationUpdated(Conversation)
    case conversationRemoved(Conversation)
    /// A participant is typing (never stored).
    case typing(conversation: SID, identity: String)

    /// The conversation it is about.
    public var conversationSid: SID {
        switch self {
        case .messageAdded(let message), .messageUpdated(let message), .messageRemoved(let message): message.conversationSid
        case .participantJoined(let participant), .participantUpdated(let participant), .participantLeft(let participant):
            participant.conversationSid
        case .conversationUpdated(let conversation), .conversationRemoved(let conversation): conversation.sid
        case .typing(let conversation, _): conversation
        }
    }
}

/// Hands conversations' news to the subscribers in this process (each chat connection subscribes to its
/// conversations), and through its fan-out to the other gateway processes' hubs. Subscribers must not block: they
/// queue what they get.
public final class ConversationHub: Sendable {
    public typealias Subscriber = @Sendable (ConversationNews) -> Void

    private let state = Mutex<(subscribers: [SID: [Int: Subscriber]], next: Int)>(([:], 0))
    private let fanout: ConversationFanout?

    /// - Parameter fanout: nil keeps news in this process (tests).
    public init(fanout: ConversationFanout? = nil) {
        self.fanout = fanout
    }

    /// Subscribes to `conversation`; returns the token that ``unsubscribe(_:from:)`` takes.
    public func subscribe(to conversation: SID, _ subscriber: @escaping Subscriber) -> Int {
        state.withLock { state in
            state.next += 1
            state.subscribers[conversation, default: [:]][state.next] = subscriber
            return state.next
        }
    }

    public func unsubscribe(_ token: Int, from conversation: SID) {
        state.withLock { state in
            state.subscribers[conversation]?[token] = nil
            if state.subscribers[conversation]?.isEmpty == true { state.subscribers[conversation] = nil }
        }
    }

    /// Tells this process's subscribers and the other processes.
    public func publish(_ news: ConversationNews) {
        publishLocally(news)
        fanout?.announce(news)
    }

    /// Tells this process's subscribers only (news from another process).
    func publishLocally(_ news: ConversationNews) {
        let subscribers = state.withLock { $0.subscribers[news.conversationSid].map { Array($0.values) } ?? [] }
        for subscriber in subscribers { subscriber(news) }
    }
}
