import Foundation
import Logging
import Platform
import PostgresNIO

/// Conversations' timers: an active conversation whose `date_inactive` has come becomes inactive, one whose
/// `date_closed` has come becomes closed; each change reports `onConversationStateUpdated` (`Reason=TIMER`) and tells
/// the conversation's chat clients. Every gateway applies them every few seconds (a `PeriodicService`); a change is
/// made once (the update decides).
extension ConversationService {
    /// Moves on every conversation whose timer has come.
    public func applyTimers(logger: Logger) async throws {
        let changed = try await database.withTransaction(logger: logger) { connection -> [(Conversation, String, Bool)] in
            let rows = try await connection.query(
                """
                WITH due AS (
                    SELECT sid, state AS previous FROM conversations
                    WHERE state <> 'closed' AND least(date_inactive, date_closed) <= now()
                      AND (date_closed <= now() OR state = 'active')
                    ORDER BY least(date_inactive, date_closed) LIMIT 500 FOR UPDATE SKIP LOCKED)
                UPDATE conversations c SET state = CASE WHEN c.date_closed <= now() THEN 'closed' ELSE 'inactive' END, date_updated = now()
                FROM due WHERE c.sid = due.sid
                RETURNING \(unescaped: ConversationRows.qualified(ConversationRows.conversationColumns, by: "c")), due.previous
                """, logger: logger
            ).collect()
            var changed: [(Conversation, String, Bool)] = []
            for row in rows {
                let conversation = try ConversationRows.conversation(row).item
                let previous = try row.makeRandomAccess().value("previous", as: String.self)
                let parameters = [
                    ("ConversationSid", conversation.sid.rawValue), ("ChatServiceSid", conversation.chatServiceSid), ("StateFrom", previous),
                    ("StateTo", conversation.state.rawValue), ("StateUpdated", TwilioDate.iso8601(conversation.dateUpdated)), ("Reason", "TIMER"),
                ]
                let queued = try await ConversationHooks.post(
                    "onConversationStateUpdated", parameters: parameters, conversation: conversation.sid, account: conversation.accountSid,
                    actor: .timer, on: connection, logger: logger)
                changed.append((conversation, previous, queued))
            }
            return changed
        }
        if changed.contains(where: \.2) { outbox.committed() }
        for (conversation, _, _) in changed { hub.publish(.conversationUpdated(conversation)) }
    }
}
