import Foundation
import Logging
import Platform
import PostgresNIO

/// A message to add without hooks, waiting for its batch.
struct PendingConversationMessage: Sendable {
    var sid: SID
    var account: SID
    var conversation: SID
    var new: NewConversationMessage
}

/// Adds messages that fire no hooks, a batch in one statement and no transaction around it: the busy path of a
/// conversation service. A message is added only if its conversation is open and has no SMS participants (whose
/// copies need a transaction with the message); otherwise its output is nil.
enum ConversationMessageBatch {
    static func add(_ batch: [PendingConversationMessage], database: Database, logger: Logger) async throws -> [ConversationMessage?] {
        let rows = try await database.execute(AddMessages(batch: batch), logger: logger)
        var added: [String: ConversationMessage] = [:]
        for row in rows {
            let message = try ConversationRows.message(row).item
            added[message.sid.rawValue] = message
        }
        return batch.map { added[$0.sid.rawValue] }
    }

    /// Takes each conversation's next indexes at once (several messages of one conversation get consecutive ones, in
    /// batch order), moves its timers on and revives it if inactive, then writes the messages.
    private struct AddMessages: PostgresPreparedStatement {
        static let sql = """
            WITH input AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
                    AS i(sid, account_sid, conversation_sid, author, body, attributes, ordinal)),
            wanted AS (
                SELECT conversation_sid, account_sid, count(*)::int AS n FROM input GROUP BY conversation_sid, account_sid),
            slots AS (
                UPDATE conversations c SET last_message_index = c.last_message_index + w.n,
                    state = CASE WHEN c.state = 'inactive' THEN 'active' ELSE c.state END,
                    date_inactive = now() + make_interval(secs => c.inactive_after),
                    date_closed = now() + make_interval(secs => c.closed_after)
                FROM wanted w
                WHERE c.sid = w.conversation_sid AND c.account_sid = w.account_sid AND c.state <> 'closed' AND c.sms_participants = 0
                RETURNING c.sid, c.last_message_index - w.n AS base)
            INSERT INTO conversation_messages AS m (sid, account_sid, conversation_sid, message_index, author, body, attributes, participant_sid)
            SELECT i.sid, i.account_sid, i.conversation_sid, s.base + row_number() OVER (PARTITION BY i.conversation_sid ORDER BY i.ordinal),
                i.author, i.body, i.attributes,
                (SELECT p.sid FROM conversation_participants p
                 WHERE p.conversation_sid = i.conversation_sid AND (p.identity = i.author OR (p.identity IS NULL AND p.address = i.author))
                 ORDER BY p.identity IS NULL LIMIT 1)
            FROM input i JOIN slots s ON s.sid = i.conversation_sid
            ORDER BY i.ordinal
            RETURNING \(ConversationRows.newMessageColumns)
            """
        let batch: [PendingConversationMessage]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 6)
            bindings.append(batch.map(\.sid.rawValue))
            bindings.append(batch.map(\.account.rawValue))
            bindings.append(batch.map(\.conversation.rawValue))
            bindings.append(batch.map(\.new.author))
            bindings.append(batch.map { $0.new.body ?? "" })
            bindings.append(batch.map { $0.new.attributes ?? "{}" })
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }
}
