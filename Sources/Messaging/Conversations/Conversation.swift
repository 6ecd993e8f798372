import Foundation
import Platform

/// A conversation: a thread of messages among chat and SMS participants.
public struct Conversation: Sendable {
    public var sid: SID
    public var accountSid: SID
    public var uniqueName: String?
    public var friendlyName: String?
    /// A JSON document the customer owns, as text ("{}" when none was given).
    public var attributes: String
    public var state: ConversationState
    public var messagingServiceSid: String?
    public var timers: ConversationTimers
    /// When the timers will move the conversation on (nil: that timer is not set).
    public var dateInactive: Date?
    public var dateClosed: Date?
    /// The index of its latest message (-1: none yet).
    public var lastMessageIndex: Int
    public var dateCreated: Date
    public var dateUpdated: Date

    /// The account's default Conversation Service: one per account, named after it (`IS` + the account's digits).
    public var chatServiceSid: String { Self.chatServiceSid(of: accountSid) }

    public static func chatServiceSid(of account: SID) -> String {
        SIDPrefix.chatService.rawValue + account.rawValue.dropFirst(2)
    }
}

public enum ConversationState: String, Sendable, CaseIterable {
    case active
    case inactive
    case closed
}

/// `Timers.Inactive` and `Timers.Closed`: how long after its last message a conversation becomes inactive, or closed.
public struct ConversationTimers: Sendable, Equatable {
    public var inactiveAfter: Int?
    public var closedAfter: Int?

    public init(inactiveAfter: Int? = nil, closedAfter: Int? = nil) {
        self.inactiveAfter = inactiveAfter
        self.closedAfter = closedAfter
    }
}

/// The fields a create or update sets; `nil` leaves a field as it is (on create: its default).
public struct ConversationFields: Sendable {
    public var uniqueName: String?
    public var friendlyName: String?
    public var attributes: String?
    public var state: ConversationState?
    public var messagingServiceSid: String?
    public var timers = ConversationTimers()

    public init() {}
}

/// A conversation's participant: a chat identity, or an SMS address reached through one of the account's numbers.
public struct ConversationParticipant: Sendable {
    public var sid: SID
    public var accountSid: SID
    public var conversationSid: SID
    public var identity: String?
    public var binding: MessagingBinding?
    public var attributes: String
    public var roleSid: String?
    public var lastReadMessageIndex: Int?
    public var lastReadTimestamp: Date?
    public var dateCreated: Date
    public var dateUpdated: Date
}

/// An SMS participant's address and the account's number its messages travel through.
public struct MessagingBinding: Sendable, Equatable {
    public var address: String
    public var proxyAddress: String

    public init(address: String, proxyAddress: String) {
        self.address = address
        self.proxyAddress = proxyAddress
    }
}

/// A message of a conversation.
public struct ConversationMessage: Sendable {
    public var sid: SID
    public var accountSid: SID
    public var conversationSid: SID
    /// Strictly increasing within the conversation, from 0.
    public var index: Int
    public var author: String
    public var body: String?
    public var attributes: String
    public var participantSid: SID?
    /// How its SMS copies fared; nil when nobody received it by SMS.
    public var delivery: DeliverySummary?
    public var dateCreated: Date
    public var dateUpdated: Date
}

/// Twilio's `delivery` of a message: per status, whether all, some or none of its SMS copies have it.
public struct DeliverySummary: Sendable, Equatable {
    public var total: Int
    /// Copies per status (`sent`, `delivered`, `read`, `failed`, `undelivered`).
    public var counts: [String: Int]

    public init(total: Int, counts: [String: Int]) {
        self.total = total
        self.counts = counts
    }

    /// "all", "some" or "none" for `status`.
    public func share(_ status: String) -> String {
        let count = counts[status] ?? 0
        return count == 0 ? "none" : count == total ? "all" : "some"
    }
}

/// Errors of conversations' repositories that the API reports with Twilio's codes.
public enum ConversationError: Error, Equatable {
    /// 50353: another conversation of the account has this unique name.
    case uniqueNameTaken(String)
    /// 50433: the conversation already has a participant with this identity.
    case identityTaken(String)
    /// 50416: the address and proxy address are bound in another conversation that is not closed.
    case bindingTaken(address: String, proxyAddress: String, conversation: SID)
    /// The proxy address is not an SMS-capable number of the account.
    case proxyNotOwned(String)
    /// The conversation has its maximum number of participants.
    case tooManyParticipants(Int)
    /// Messages cannot be added to a closed conversation.
    case closed
    /// The conversation has its maximum number of scoped webhooks.
    case tooManyWebhooks(Int)
    /// The account's pre-action hook answered with this non-2xx status: the action did not happen.
    case rejectedByHook(status: Int)
}
