import Messaging
import Platform

/// Where Twilio's Conversations product lives: `/conversations/v1/…` (Twilio's `https://conversations.twilio.com/v1/…`).
enum ConversationsV1 {
    static let mount = "/conversations"
    static let version = "/v1"

    static func route(_ path: String) -> String { mount + version + path }
    static func path(_ path: String) -> String { version + path }
    static func url(_ publicURL: String, _ path: String) -> String { publicURL + mount + version + path }
    static func conversationPath(_ sid: SID) -> String { "/Conversations/\(sid.rawValue)" }
}

/// `conversations.v1.conversation`.
struct ConversationResource: JSONRepresentable {
    let conversation: Conversation
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        let path = ConversationsV1.conversationPath(conversation.sid)
        json.field("sid", conversation.sid.rawValue)
        json.field("account_sid", conversation.accountSid.rawValue)
        json.field("chat_service_sid", conversation.chatServiceSid)
        json.field("messaging_service_sid", conversation.messagingServiceSid)
        json.field("friendly_name", conversation.friendlyName)
        json.field("unique_name", conversation.uniqueName)
        json.field("attributes", conversation.attributes)
        json.field("state", conversation.state.rawValue)
        json.field("date_created", TwilioDate.iso8601(conversation.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(conversation.dateUpdated))
        json.field("timers") { timers in
            if let date = conversation.dateInactive { timers.field("date_inactive", TwilioDate.iso8601(date)) }
            if let date = conversation.dateClosed { timers.field("date_closed", TwilioDate.iso8601(date)) }
        }
        json.field("bindings", json: Array("{}".utf8))
        json.field("url", ConversationsV1.url(publicURL, path))
        json.field("links") { links in
            links.field("participants", ConversationsV1.url(publicURL, path + "/Participants"))
            links.field("messages", ConversationsV1.url(publicURL, path + "/Messages"))
            links.field("webhooks", ConversationsV1.url(publicURL, path + "/Webhooks"))
        }
    }
}

/// `conversations.v1.conversation.conversation_participant`.
struct ConversationParticipantResource: JSONRepresentable {
    let participant: ConversationParticipant
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        json.field("sid", participant.sid.rawValue)
        json.field("account_sid", participant.accountSid.rawValue)
        json.field("conversation_sid", participant.conversationSid.rawValue)
        json.field("identity", participant.identity)
        json.field("attributes", participant.attributes)
        if let binding = participant.binding {
            json.field("messaging_binding") { object in
                object.field("type", "sms")
                object.field("address", binding.address)
                object.field("proxy_address", binding.proxyAddress)
            }
        } else {
            json.field("messaging_binding", nil as String?)
        }
        json.field("role_sid", participant.roleSid)
        json.field("date_created", TwilioDate.iso8601(participant.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(participant.dateUpdated))
        json.field("last_read_message_index", participant.lastReadMessageIndex)
        json.field("last_read_timestamp", participant.lastReadTimestamp.map(TwilioDate.iso8601))
        json.field("url", ConversationsV1.url(
            publicURL, ConversationsV1.conversationPath(participant.conversationSid) + "/Participants/\(participant.sid.rawValue)"))
    }
}

/// `conversations.v1.conversation.conversation_message`.
struct ConversationMessageResource: JSONRepresentable {
    let message: ConversationMessage
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        let path = ConversationsV1.conversationPath(message.conversationSid) + "/Messages/\(message.sid.rawValue)"
        json.field("sid", message.sid.rawValue)
        json.field("account_sid", message.accountSid.rawValue)
        json.field("conversation_sid", message.conversationSid.rawValue)
        json.field("index", message.index)
        json.field("author", message.author)
        json.field("body", message.body)
        json.field("media", nil as String?)
        json.field("attributes", message.attributes)
        json.field("participant_sid", message.participantSid?.rawValue)
        json.field("date_created", TwilioDate.iso8601(message.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(message.dateUpdated))
        if let delivery = message.delivery {
            json.field("delivery") { object in
                object.field("total", delivery.total)
                for status in ["sent", "delivered", "read", "failed", "undelivered"] { object.field(status, delivery.share(status)) }
            }
        } else {
            json.field("delivery", nil as String?)
        }
        json.field("content_sid", nil as String?)
        json.field("url", ConversationsV1.url(publicURL, path))
        json.field("links") { links in
            links.field("delivery_receipts", ConversationsV1.url(publicURL, path + "/Receipts"))
            links.field("channel_metadata", ConversationsV1.url(publicURL, path + "/ChannelMetadata"))
        }
    }
}

/// `conversations.v1.conversation.conversation_message.conversation_message_receipt`.
struct ConversationDeliveryResource: JSONRepresentable {
    let delivery: ConversationDelivery
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        let path = ConversationsV1.conversationPath(delivery.conversationSid) + "/Messages/\(delivery.messageSid.rawValue)/Receipts/\(delivery.sid.rawValue)"
        json.field("sid", delivery.sid.rawValue)
        json.field("account_sid", delivery.accountSid.rawValue)
        json.field("conversation_sid", delivery.conversationSid.rawValue)
        json.field("message_sid", delivery.messageSid.rawValue)
        json.field("channel_message_sid", delivery.channelMessageSid.rawValue)
        json.field("participant_sid", delivery.participantSid.rawValue)
        // A copy still queued or being sent is reported as sent: the receipt's statuses have no earlier one.
        let status = ["read", "failed", "delivered", "undelivered"].contains(delivery.status) ? delivery.status : "sent"
        json.field("status", status)
        json.field("error_code", delivery.errorCode ?? 0)
        json.field("date_created", TwilioDate.iso8601(delivery.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(delivery.dateUpdated))
        json.field("url", ConversationsV1.url(publicURL, path))
    }
}

/// `conversations.v1.conversation.conversation_scoped_webhook`.
struct ConversationWebhookResource: JSONRepresentable {
    let webhook: ConversationWebhook
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        json.field("sid", webhook.sid.rawValue)
        json.field("account_sid", webhook.accountSid.rawValue)
        json.field("conversation_sid", webhook.conversationSid.rawValue)
        json.field("target", webhook.target.rawValue)
        json.field("url", ConversationsV1.url(
            publicURL, ConversationsV1.conversationPath(webhook.conversationSid) + "/Webhooks/\(webhook.sid.rawValue)"))
        json.field("configuration") { configuration in
            switch webhook.target {
            case .webhook:
                configuration.field("url", webhook.url)
                configuration.field("method", webhook.method.rawValue)
                configuration.field("filters", strings: webhook.filters)
            case .studio:
                configuration.field("flow_sid", webhook.flowSid)
            }
        }
        json.field("date_created", TwilioDate.iso8601(webhook.dateCreated))
        json.field("date_updated", TwilioDate.iso8601(webhook.dateUpdated))
    }
}

/// `conversations.v1.configuration.configuration_webhook`.
struct ConversationWebhookSettingsResource: JSONRepresentable {
    let account: SID
    let settings: ConversationWebhookSettings
    let publicURL: String

    func write(to json: inout JSONObjectWriter) {
        json.field("account_sid", account.rawValue)
        json.field("method", settings.method.rawValue)
        json.field("filters", strings: settings.filters)
        json.field("pre_webhook_url", settings.preWebhookURL)
        json.field("post_webhook_url", settings.postWebhookURL)
        json.field("target", settings.target.rawValue)
        json.field("url", ConversationsV1.url(publicURL, "/Configuration/Webhooks"))
    }
}
