import Foundation
import Messaging
import Platform

/// The realtime chat protocol's frames (docs/conversations-realtime.md): what clients send, parsed, and what the
/// server sends, encoded.
enum ChatFrames {
    /// A client frame: its type, its request id (echoed as is) and its other fields.
    struct Request {
        var type: String
        var id: Any?
        var fields: [String: Any]

        func string(_ name: String) -> String? { fields[name] as? String }
        func integer(_ name: String) -> Int? { (fields[name] as? NSNumber).flatMap { Int(exactly: $0.doubleValue) } }
    }

    static func parse(_ text: String) -> Request? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let type = object["type"] as? String
        else { return nil }
        return Request(type: type, id: object["id"], fields: object)
    }

    /// A server frame of `type`, answering `id` if given.
    static func frame(_ type: String, id: Any? = nil, _ write: (inout JSONObjectWriter) -> Void = { _ in }) -> String {
        var json = JSONObjectWriter()
        json.field("type", type)
        if let id = id as? String { json.field("id", id) }
        if let id = id as? NSNumber { json.field("id", json: Array(id.stringValue.utf8)) }
        write(&json)
        return String(decoding: json.finished(), as: UTF8.self)
    }

    static func error(_ code: Int, _ message: String, id: Any? = nil) -> String {
        frame("error", id: id) { json in
            json.field("code", code)
            json.field("message", message)
        }
    }

    /// The frame carrying `news` to a subscriber.
    static func news(_ news: ConversationNews, publicURL: String) -> String {
        switch news {
        case .messageAdded(let message): messageFrame("message_added", message, publicURL)
        case .messageUpdated(let message): messageFrame("message_updated", message, publicURL)
        case .messageRemoved(let message): messageFrame("message_removed", message, publicURL)
        case .participantJoined(let participant): participantFrame("participant_joined", participant, publicURL)
        case .participantUpdated(let participant): participantFrame("participant_updated", participant, publicURL)
        case .participantLeft(let participant): participantFrame("participant_left", participant, publicURL)
        case .conversationUpdated(let conversation):
            frame("conversation_updated") { json in json.field("conversation") { ConversationResource(conversation: conversation, publicURL: publicURL).write(to: &$0) } }
        case .conversationRemoved(let conversation):
            frame("conversation_removed") { json in json.field("conversation") { ConversationResource(conversation: conversation, publicURL: publicURL).write(to: &$0) } }
        case .typing(let conversation, let identity):
            frame("typing") { json in
                json.field("conversation", conversation.rawValue)
                json.field("identity", identity)
            }
        }
    }

    static func messageFrame(_ type: String, _ message: ConversationMessage, _ publicURL: String, id: Any? = nil) -> String {
        frame(type, id: id) { json in
            json.field("conversation", message.conversationSid.rawValue)
            json.field("message") { ConversationMessageResource(message: message, publicURL: publicURL).write(to: &$0) }
        }
    }

    private static func participantFrame(_ type: String, _ participant: ConversationParticipant, _ publicURL: String) -> String {
        frame(type) { json in
            json.field("conversation", participant.conversationSid.rawValue)
            json.field("participant") { ConversationParticipantResource(participant: participant, publicURL: publicURL).write(to: &$0) }
        }
    }

    /// One entry of the `conversations` answer: the conversation, with the client's participant and read horizon.
    static func membership(_ conversation: Conversation, _ participant: ConversationParticipant, publicURL: String, into json: inout JSONObjectWriter) {
        ConversationResource(conversation: conversation, publicURL: publicURL).write(to: &json)
        json.field("participant_sid", participant.sid.rawValue)
        json.field("last_read_message_index", participant.lastReadMessageIndex)
        json.field("last_message_index", conversation.lastMessageIndex)
    }
}
