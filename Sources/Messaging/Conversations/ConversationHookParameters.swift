import Foundation
import Platform

/// The form parameters Twilio sends with each conversations event (pre- and post-action).
enum ConversationHookParameters {
    static func conversation(_ conversation: Conversation) -> [(String, String)] {
        var parameters = [
            ("ConversationSid", conversation.sid.rawValue), ("ChatServiceSid", conversation.chatServiceSid),
            ("DateCreated", TwilioDate.iso8601(conversation.dateCreated)),
            ("DateUpdated", TwilioDate.iso8601(conversation.dateUpdated)), ("Attributes", conversation.attributes),
            ("State", conversation.state.rawValue),
        ]
        if let name = conversation.friendlyName { parameters.append(("FriendlyName", name)) }
        if let name = conversation.uniqueName { parameters.append(("UniqueName", name)) }
        if let sid = conversation.messagingServiceSid { parameters.append(("MessagingServiceSid", sid)) }
        return parameters
    }

    /// `onConversationAdd`: the conversation as asked for (it has no SID yet).
    static func conversationAdd(_ fields: ConversationFields, account: SID) -> [(String, String)] {
        var parameters = [("ChatServiceSid", Conversation.chatServiceSid(of: account)), ("Attributes", fields.attributes ?? "{}"),
                          ("State", (fields.state ?? .active).rawValue)]
        if let name = fields.friendlyName { parameters.append(("FriendlyName", name)) }
        if let name = fields.uniqueName { parameters.append(("UniqueName", name)) }
        if let sid = fields.messagingServiceSid { parameters.append(("MessagingServiceSid", sid)) }
        return parameters
    }

    static func participantAdd(_ new: NewConversationParticipant, conversation: SID) -> [(String, String)] {
        var parameters = [("ConversationSid", conversation.rawValue), ("Attributes", new.attributes ?? "{}")]
        if let identity = new.identity { parameters.append(("Identity", identity)) }
        if let role = new.roleSid { parameters.append(("RoleSid", role)) }
        if let binding = new.binding {
            parameters += [("MessagingBinding.Address", binding.address), ("MessagingBinding.ProxyAddress", binding.proxyAddress),
                           ("MessagingBinding.Type", "SMS")]
        } else {
            parameters.append(("MessagingBinding.Type", "CHAT"))
        }
        return parameters
    }

    static func participant(_ participant: ConversationParticipant) -> [(String, String)] {
        var new = NewConversationParticipant(identity: participant.identity, binding: participant.binding)
        new.attributes = participant.attributes
        new.roleSid = participant.roleSid
        return participantAdd(new, conversation: participant.conversationSid) + [
            ("ParticipantSid", participant.sid.rawValue), ("DateCreated", TwilioDate.iso8601(participant.dateCreated)),
            ("DateUpdated", TwilioDate.iso8601(participant.dateUpdated)),
        ]
    }

    static func messageAdd(_ new: NewConversationMessage, conversation: SID) -> [(String, String)] {
        var parameters = [("ConversationSid", conversation.rawValue), ("Author", new.author), ("Attributes", new.attributes ?? "{}")]
        if let body = new.body { parameters.append(("Body", body)) }
        return parameters
    }

    static func message(_ message: ConversationMessage) -> [(String, String)] {
        var parameters = [
            ("ConversationSid", message.conversationSid.rawValue), ("MessageSid", message.sid.rawValue), ("Index", String(message.index)),
            ("Author", message.author), ("Attributes", message.attributes),
            ("DateCreated", TwilioDate.iso8601(message.dateCreated)), ("DateUpdated", TwilioDate.iso8601(message.dateUpdated)),
        ]
        if let body = message.body { parameters.append(("Body", body)) }
        if let participant = message.participantSid { parameters.append(("ParticipantSid", participant.rawValue)) }
        return parameters
    }
}
