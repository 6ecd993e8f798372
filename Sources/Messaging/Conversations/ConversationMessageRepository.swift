import Foundation
import Logging
import Platform
import PostgresNIO

/// What posting a message takes.
public struct NewConversationMessage: Sendable {
    public var author: String
    public var body: String?
    public var attributes: String?

    public init(author: String, body: String?, attributes: String? = nil) {
        self.author = author
        self.body = body
        self.attributes = attributes
    }
}

/// The fields a message update sets; `nil` leaves a field as it is.
public struct ConversationMessageChanges: Sendable {
    public var author: String?
    public var body: String?
    public var attributes: String?

    public init() {}
}

/// One SMS copy of a conversation message (Twilio's delivery receipt).
public struct ConversationDelivery: Sendable {
    public var sid: SID
    public var accountSid: SID
    public var conversationSid: SID
    public var messageSid: SID
    public var participantSid: SID
    public var channelMessageSid: SID
    /// The SMS's status.
    public var status: String
    public var errorCode: Int?
    public var dateCreated: Date
    public var dateUpdated: Date
}

/// A conversation's messages. Writes run in the caller's transaction; every call is scoped by the account.
public struct ConversationMessageRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Twilio's limits on a message.
    public static let maximumBodyBytes = 32 * 1024

    /// Adds a message with the conversation's next index (strictly increasing: taking it locks the conversation's row
    /// until the caller commits). Its participant is the one whose identity (else whose SMS address) is the author, if
    /// any. A message revives an inactive conversation and moves its timers on. Nil: no such conversation; a closed one
    /// is ``ConversationError/closed``. Also returns how many SMS participants the conversation has.
    public func add(
        _ new: NewConversationMessage, conversation: SID, account: SID, on connection: PostgresConnection, logger: Logger
    ) async throws -> (message: ConversationMessage, smsParticipants: Int)? {
        var rows: [PostgresRow] = []
        let statement = AddMessage(sid: SID.generate(.conversationMessage), account: account, conversation: conversation, new: new)
        for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
        if let row = rows.first {
            return (try ConversationRows.message(row).item, try row.makeRandomAccess().value("sms_participants", as: Int.self))
        }
        let states = try await connection.query(
            "SELECT state FROM conversations WHERE sid = \(conversation.rawValue) AND account_sid = \(account.rawValue)", logger: logger
        ).collect()
        guard !states.isEmpty else { return nil }
        throw ConversationError.closed
    }

    /// ``add(_:conversation:account:on:logger:)``'s statement, prepared.
    private struct AddMessage: PostgresPreparedStatement {
        static let sql = """
            WITH slot AS (
                UPDATE conversations SET last_message_index = last_message_index + 1,
                    state = CASE WHEN state = 'inactive' THEN 'active' ELSE state END,
                    date_inactive = now() + make_interval(secs => inactive_after),
                    date_closed = now() + make_interval(secs => closed_after)
                WHERE sid = $3 AND account_sid = $2 AND state <> 'closed'
                RETURNING last_message_index, sms_participants)
            INSERT INTO conversation_messages AS m (sid, account_sid, conversation_sid, message_index, author, body, attributes, participant_sid)
            SELECT $1, $2, $3, slot.last_message_index, $4, $5, $6,
                (SELECT sid FROM conversation_participants WHERE conversation_sid = $3 AND (identity = $4 OR (identity IS NULL AND address = $4))
                 ORDER BY identity IS NULL LIMIT 1)
            FROM slot
            RETURNING \(ConversationRows.newMessageColumns), (SELECT sms_participants FROM slot) AS sms_participants
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .text, .text, .text]
        let sid: SID
        let account: SID
        let conversation: SID
        let new: NewConversationMessage

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 6)
            bindings.append(sid.rawValue)
            bindings.append(account.rawValue)
            bindings.append(conversation.rawValue)
            bindings.append(new.author)
            bindings.append(new.body)
            bindings.append(new.attributes ?? "{}")
            return bindings
        }

        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    /// Records that `message` went to `participant` as the SMS `channelMessage`.
    public func recordDelivery(
        of message: ConversationMessage, to participant: SID, as channelMessage: SID, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO conversation_deliveries (sid, account_sid, conversation_sid, message_sid, participant_sid, channel_message_sid)
            VALUES (\(SID.generate(.conversationDelivery).rawValue), \(message.accountSid.rawValue), \(message.conversationSid.rawValue),
                \(message.sid.rawValue), \(participant.rawValue), \(channelMessage.rawValue))
            """, logger: logger)
    }

    /// A message by `IM…` SID or index.
    public func find(_ sidOrIndex: String, conversation: SID, account: SID, logger: Logger) async throws -> ConversationMessage? {
        let index = Int32(sidOrIndex).map(Int.init)
        let rows = try await database.query(
            """
            SELECT \(unescaped: ConversationRows.messageColumns) FROM conversation_messages m
            WHERE m.account_sid = \(account.rawValue) AND m.conversation_sid = \(conversation.rawValue)
              AND (m.sid = \(sidOrIndex) OR m.message_index = \(index))
            """, logger: logger)
        return try rows.first.map(ConversationRows.message)?.item
    }

    /// Messages in index order (`descending`: newest first).
    public func list(
        conversation: SID, account: SID, descending: Bool, cursor: PageCursor, pageSize: Int, logger: Logger
    ) async throws -> Page<ConversationMessage> {
        let bounds = cursor.bounds
        // Paging keys increase in the order asked for: the sequence, or its mirror image for newest first.
        let key = descending ? "(\(Int64.max) - m.seq)" : "m.seq"
        let rows = try await database.query(
            """
            SELECT \(unescaped: ConversationRows.messageColumns), \(unescaped: key) AS page_key FROM conversation_messages m
            WHERE m.account_sid = \(account.rawValue) AND m.conversation_sid = \(conversation.rawValue)
              AND \(unescaped: key) > \(bounds.after) AND \(unescaped: key) < \(bounds.before)
            ORDER BY \(unescaped: key) \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(
            lookahead: try rows.map { row in (try row.makeRandomAccess().value("page_key"), try ConversationRows.message(row).item) },
            pageSize: pageSize, cursor: cursor)
    }

    /// Messages after `index`, oldest first, at most `limit` (a chat client catching up).
    public func after(index: Int, conversation: SID, limit: Int, logger: Logger) async throws -> [ConversationMessage] {
        try await database.query(
            """
            SELECT \(unescaped: ConversationRows.messageColumns) FROM conversation_messages m
            WHERE m.conversation_sid = \(conversation.rawValue) AND m.message_index > \(index)
            ORDER BY m.message_index LIMIT \(limit)
            """, logger: logger
        ).map { try ConversationRows.message($0).item }
    }

    public func update(
        _ sid: SID, _ changes: ConversationMessageChanges, conversation: SID, account: SID, on connection: PostgresConnection, logger: Logger
    ) async throws -> ConversationMessage? {
        let rows = try await connection.query(
            """
            UPDATE conversation_messages m SET author = coalesce(\(changes.author), author), body = coalesce(\(changes.body), body),
                attributes = coalesce(\(changes.attributes), attributes), date_updated = now()
            WHERE m.sid = \(sid.rawValue) AND m.conversation_sid = \(conversation.rawValue) AND m.account_sid = \(account.rawValue)
            RETURNING \(unescaped: ConversationRows.messageColumns)
            """, logger: logger
        ).collect()
        return try rows.first.map(ConversationRows.message)?.item
    }

    /// Deletes a message; returns it as it was (nil: no such message).
    public func delete(
        _ sid: SID, conversation: SID, account: SID, on connection: PostgresConnection, logger: Logger
    ) async throws -> ConversationMessage? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: ConversationRows.messageColumns) FROM conversation_messages m
            WHERE m.sid = \(sid.rawValue) AND m.conversation_sid = \(conversation.rawValue) AND m.account_sid = \(account.rawValue)
            FOR UPDATE
            """, logger: logger
        ).collect()
        guard let message = try rows.first.map(ConversationRows.message)?.item else { return nil }
        try await connection.query("DELETE FROM conversation_messages WHERE sid = \(sid.rawValue)", logger: logger)
        return message
    }

    /// A message's SMS copies, oldest first.
    public func deliveries(of message: SID, conversation: SID, account: SID, logger: Logger) async throws -> [ConversationDelivery] {
        try await database.query(
            """
            SELECT d.sid, d.account_sid, d.conversation_sid, d.message_sid, d.participant_sid, d.channel_message_sid,
                coalesce(s.status, 'failed'), s.error_code, d.date_created, coalesce(s.date_updated, d.date_created)
            FROM conversation_deliveries d LEFT JOIN messages s ON s.sid = d.channel_message_sid
            WHERE d.message_sid = \(message.rawValue) AND d.conversation_sid = \(conversation.rawValue) AND d.account_sid = \(account.rawValue)
            ORDER BY d.seq
            """, logger: logger
        ).map { row in
            let (sid, accountSid, conversationSid, messageSid, participantSid, channelSid, status, code, created, updated) =
                try row.decode((String, String, String, String, String, String, String, Int?, Date, Date).self)
            guard let sid = SID(sid), let accountSid = SID(accountSid), let conversationSid = SID(conversationSid),
                let messageSid = SID(messageSid), let participantSid = SID(participantSid), let channelSid = SID(channelSid)
            else { throw CorruptRowError(table: "conversation_deliveries", key: sid) }
            return ConversationDelivery(
                sid: sid, accountSid: accountSid, conversationSid: conversationSid, messageSid: messageSid, participantSid: participantSid,
                channelMessageSid: channelSid, status: status, errorCode: code, dateCreated: created, dateUpdated: updated)
        }
    }
}
