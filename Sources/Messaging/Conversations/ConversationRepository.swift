import Foundation
import Logging
import Platform
import PostgresNIO

/// Conversations: creating, reading, changing and deleting them. Every call is scoped by the account.
public struct ConversationRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Creates a conversation (active unless `fields.state` says otherwise). A unique name another conversation of the
    /// account has is ``ConversationError/uniqueNameTaken(_:)``.
    public func create(_ fields: ConversationFields, account: SID, on connection: PostgresConnection, logger: Logger) async throws -> Conversation {
        let sid = SID.generate(.conversation)
        let timers = fields.timers
        let rows = try await connection.query(
            """
            INSERT INTO conversations (sid, account_sid, unique_name, friendly_name, attributes, state, messaging_service_sid,
                inactive_after, closed_after, date_inactive, date_closed)
            VALUES (\(sid.rawValue), \(account.rawValue), \(fields.uniqueName), \(fields.friendlyName), \(fields.attributes ?? "{}"),
                \((fields.state ?? .active).rawValue), \(fields.messagingServiceSid), \(timers.inactiveAfter), \(timers.closedAfter),
                now() + make_interval(secs => \(timers.inactiveAfter)), now() + make_interval(secs => \(timers.closedAfter)))
            ON CONFLICT (account_sid, unique_name) DO NOTHING
            RETURNING \(unescaped: ConversationRows.conversationColumns)
            """, logger: logger
        ).collect()
        guard let row = rows.first else { throw ConversationError.uniqueNameTaken(fields.uniqueName ?? "") }
        return try ConversationRows.conversation(row).item
    }

    /// A conversation by `CH…` SID or unique name.
    public func find(_ sidOrUniqueName: String, account: SID, logger: Logger) async throws -> Conversation? {
        let rows: [PostgresRow]
        if let sid = SID(sidOrUniqueName, prefix: .conversation) {
            rows = try await database.execute(FindBySID(sid: sid, account: account), logger: logger)
        } else {
            rows = try await database.query(
                """
                SELECT \(unescaped: ConversationRows.conversationColumns) FROM conversations
                WHERE account_sid = \(account.rawValue) AND unique_name = \(sidOrUniqueName)
                """, logger: logger)
        }
        return try rows.first.map(ConversationRows.conversation)?.item
    }

    /// ``find(_:account:logger:)`` by SID, prepared: every request about a conversation's contents starts with it.
    private struct FindBySID: PostgresPreparedStatement {
        static let sql = "SELECT \(ConversationRows.conversationColumns) FROM conversations WHERE sid = $1 AND account_sid = $2"
        let sid: SID
        let account: SID

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(sid.rawValue)
            bindings.append(account.rawValue)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// The account's conversations, oldest first, optionally in one state.
    public func list(account: SID, state: ConversationState?, cursor: PageCursor, pageSize: Int, logger: Logger) async throws -> Page<Conversation> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: ConversationRows.conversationColumns) FROM conversations
            WHERE account_sid = \(account.rawValue) AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
              AND seq > \(bounds.after) AND seq < \(bounds.before)
            ORDER BY seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(ConversationRows.conversation), pageSize: pageSize, cursor: cursor)
    }

    /// Changes the fields `fields` sets; a timer given starts again from now. Nil: no such conversation.
    public func update(
        _ sid: SID, _ fields: ConversationFields, account: SID, on connection: PostgresConnection, logger: Logger
    ) async throws -> Conversation? {
        let timers = fields.timers
        do {
            let rows = try await connection.query(
                """
                UPDATE conversations SET
                    unique_name = coalesce(\(fields.uniqueName), unique_name),
                    friendly_name = coalesce(\(fields.friendlyName), friendly_name),
                    attributes = coalesce(\(fields.attributes), attributes),
                    state = coalesce(\(fields.state?.rawValue), state),
                    messaging_service_sid = coalesce(\(fields.messagingServiceSid), messaging_service_sid),
                    inactive_after = coalesce(\(timers.inactiveAfter), inactive_after),
                    closed_after = coalesce(\(timers.closedAfter), closed_after),
                    date_inactive = CASE WHEN \(timers.inactiveAfter)::int IS NULL THEN date_inactive
                                         ELSE now() + make_interval(secs => \(timers.inactiveAfter)) END,
                    date_closed = CASE WHEN \(timers.closedAfter)::int IS NULL THEN date_closed
                                       ELSE now() + make_interval(secs => \(timers.closedAfter)) END,
                    date_updated = now()
                WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)
                RETURNING \(unescaped: ConversationRows.conversationColumns)
                """, logger: logger
            ).collect()
            return try rows.first.map(ConversationRows.conversation)?.item
        } catch where error.isUniqueViolation {
            throw ConversationError.uniqueNameTaken(fields.uniqueName ?? "")
        }
    }

    /// Deletes a conversation with its participants, messages and webhooks. False: no such conversation.
    public func delete(_ sid: SID, account: SID, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query(
            "DELETE FROM conversations WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue) RETURNING sid", logger: logger
        ).collect()
        return !rows.isEmpty
    }
}
