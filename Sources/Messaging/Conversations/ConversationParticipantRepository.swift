import Foundation
import Logging
import Platform
import PostgresNIO

/// What adding a participant takes: a chat identity, an SMS binding, or both.
public struct NewConversationParticipant: Sendable {
    public var identity: String?
    public var binding: MessagingBinding?
    public var attributes: String?
    public var roleSid: String?

    public init(identity: String? = nil, binding: MessagingBinding? = nil) {
        self.identity = identity
        self.binding = binding
    }
}

/// The fields a participant update sets; `nil` leaves a field as it is.
public struct ParticipantChanges: Sendable {
    public var identity: String?
    public var attributes: String?
    public var roleSid: String?
    public var lastReadMessageIndex: Int?
    public var lastReadTimestamp: Date?

    public init() {}
}

/// A conversation's participants. Writes run in the caller's transaction; every call is scoped by the account.
public struct ConversationParticipantRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Adds a participant to `conversation` (whose row the caller has locked: adds to one conversation take turns,
    /// so the cap holds). An SMS binding's proxy must be an SMS-capable number of the account, and the pair may be
    /// bound in only one conversation that is not closed: the proxy number's row is locked while that is checked.
    public func add(
        _ new: NewConversationParticipant, to conversation: Conversation, maximumParticipants: Int, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> ConversationParticipant {
        let account = conversation.accountSid
        let count = try await connection.query(
            "SELECT count(*) FROM conversation_participants WHERE conversation_sid = \(conversation.sid.rawValue)", logger: logger
        ).collect().first?.decode(Int.self) ?? 0
        guard count < maximumParticipants else { throw ConversationError.tooManyParticipants(maximumParticipants) }
        if let binding = new.binding {
            let numbers = try await connection.query(
                """
                SELECT 1 FROM incoming_phone_numbers p JOIN number_inventory n ON n.phone_number = p.phone_number
                WHERE p.account_sid = \(account.rawValue) AND p.phone_number = \(binding.proxyAddress) AND n.sms
                FOR UPDATE OF p
                """, logger: logger
            ).collect()
            guard !numbers.isEmpty else { throw ConversationError.proxyNotOwned(binding.proxyAddress) }
            if let other = try await Self.boundConversation(binding, account: account, on: connection, logger: logger) {
                throw ConversationError.bindingTaken(address: binding.address, proxyAddress: binding.proxyAddress, conversation: other)
            }
        }
        let sid = SID.generate(.conversationParticipant)
        let rows = try await connection.query(
            """
            INSERT INTO conversation_participants (sid, account_sid, conversation_sid, identity, address, proxy_address, attributes, role_sid)
            VALUES (\(sid.rawValue), \(account.rawValue), \(conversation.sid.rawValue), \(new.identity), \(new.binding?.address),
                \(new.binding?.proxyAddress), \(new.attributes ?? "{}"), \(new.roleSid))
            ON CONFLICT (conversation_sid, identity) DO NOTHING
            RETURNING \(unescaped: ConversationRows.participantColumns)
            """, logger: logger
        ).collect()
        guard let row = rows.first else { throw ConversationError.identityTaken(new.identity ?? "") }
        if new.binding != nil { try await Self.countSMSParticipant(conversation.sid, by: 1, on: connection, logger: logger) }
        return try ConversationRows.participant(row).item
    }

    private static func countSMSParticipant(_ conversation: SID, by change: Int, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "UPDATE conversations SET sms_participants = sms_participants + \(change) WHERE sid = \(conversation.rawValue)", logger: logger)
    }

    /// The conversation, not closed, in which `binding` is bound for `account`.
    static func boundConversation(_ binding: MessagingBinding, account: SID, on connection: PostgresConnection, logger: Logger) async throws -> SID? {
        let rows = try await connection.query(
            """
            SELECT p.conversation_sid FROM conversation_participants p JOIN conversations c ON c.sid = p.conversation_sid
            WHERE p.proxy_address = \(binding.proxyAddress) AND p.address = \(binding.address) AND p.account_sid = \(account.rawValue)
              AND c.state <> 'closed'
            ORDER BY p.seq LIMIT 1
            """, logger: logger
        ).collect()
        return try rows.first.flatMap { SID(try $0.decode(String.self)) }
    }

    /// A participant by `MB…` SID or chat identity.
    public func find(_ sidOrIdentity: String, conversation: SID, account: SID, logger: Logger) async throws -> ConversationParticipant? {
        let rows = try await database.query(
            """
            SELECT \(unescaped: ConversationRows.participantColumns) FROM conversation_participants
            WHERE account_sid = \(account.rawValue) AND conversation_sid = \(conversation.rawValue)
              AND (sid = \(sidOrIdentity) OR identity = \(sidOrIdentity))
            ORDER BY sid = \(sidOrIdentity) DESC LIMIT 1
            """, logger: logger)
        return try rows.first.map(ConversationRows.participant)?.item
    }

    public func list(conversation: SID, account: SID, cursor: PageCursor, pageSize: Int, logger: Logger) async throws -> Page<ConversationParticipant> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: ConversationRows.participantColumns) FROM conversation_participants
            WHERE account_sid = \(account.rawValue) AND conversation_sid = \(conversation.rawValue)
              AND seq > \(bounds.after) AND seq < \(bounds.before)
            ORDER BY seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(ConversationRows.participant), pageSize: pageSize, cursor: cursor)
    }

    /// Every participant of a conversation, in the order they joined.
    public func all(conversation: SID, on connection: PostgresConnection, logger: Logger) async throws -> [ConversationParticipant] {
        try await connection.query(
            """
            SELECT \(unescaped: ConversationRows.participantColumns) FROM conversation_participants
            WHERE conversation_sid = \(conversation.rawValue) ORDER BY seq
            """, logger: logger
        ).collect().map { try ConversationRows.participant($0).item }
    }

    /// The conversations of `account` in which `identity` is a participant, oldest first, with that participant.
    public func memberships(identity: String, account: SID, logger: Logger) async throws -> [(Conversation, ConversationParticipant)] {
        let rows = try await database.query(
            """
            SELECT \(unescaped: ConversationRows.qualified(ConversationRows.conversationColumns, by: "c")), p.sid AS participant_sid FROM conversations c
            JOIN conversation_participants p ON p.conversation_sid = c.sid
            WHERE p.account_sid = \(account.rawValue) AND p.identity = \(identity)
            ORDER BY c.seq
            """, logger: logger)
        var memberships: [(Conversation, ConversationParticipant)] = []
        for row in rows {
            let conversation = try ConversationRows.conversation(row).item
            let participantSid = try row.makeRandomAccess().value("participant_sid", as: String.self)
            guard let participant = try await find(participantSid, conversation: conversation.sid, account: account, logger: logger) else { continue }
            memberships.append((conversation, participant))
        }
        return memberships
    }

    /// The participants of a conversation that receive its messages by SMS.
    func smsParticipants(conversation: SID, on connection: PostgresConnection, logger: Logger) async throws -> [ConversationParticipant] {
        try await connection.query(
            """
            SELECT \(unescaped: ConversationRows.participantColumns) FROM conversation_participants
            WHERE conversation_sid = \(conversation.rawValue) AND address IS NOT NULL ORDER BY seq
            """, logger: logger
        ).collect().map { try ConversationRows.participant($0).item }
    }

    /// Nil: no such participant. A new identity another participant has is ``ConversationError/identityTaken(_:)``.
    public func update(
        _ sid: SID, _ changes: ParticipantChanges, conversation: SID, account: SID, on connection: PostgresConnection, logger: Logger
    ) async throws -> ConversationParticipant? {
        do {
            let rows = try await connection.query(
                """
                UPDATE conversation_participants SET
                    identity = coalesce(\(changes.identity), identity),
                    attributes = coalesce(\(changes.attributes), attributes),
                    role_sid = coalesce(\(changes.roleSid), role_sid),
                    last_read_message_index = coalesce(\(changes.lastReadMessageIndex), last_read_message_index),
                    last_read_timestamp = CASE WHEN \(changes.lastReadMessageIndex)::int IS NULL
                        THEN coalesce(\(changes.lastReadTimestamp), last_read_timestamp)
                        ELSE coalesce(\(changes.lastReadTimestamp), now()) END,
                    date_updated = now()
                WHERE sid = \(sid.rawValue) AND conversation_sid = \(conversation.rawValue) AND account_sid = \(account.rawValue)
                RETURNING \(unescaped: ConversationRows.participantColumns)
                """, logger: logger
            ).collect()
            return try rows.first.map(ConversationRows.participant)?.item
        } catch where error.isUniqueViolation {
            throw ConversationError.identityTaken(changes.identity ?? "")
        }
    }

    /// Removes a participant; returns it (nil: no such participant).
    public func remove(
        _ sid: SID, conversation: SID, account: SID, on connection: PostgresConnection, logger: Logger
    ) async throws -> ConversationParticipant? {
        let rows = try await connection.query(
            """
            DELETE FROM conversation_participants
            WHERE sid = \(sid.rawValue) AND conversation_sid = \(conversation.rawValue) AND account_sid = \(account.rawValue)
            RETURNING \(unescaped: ConversationRows.participantColumns)
            """, logger: logger
        ).collect()
        guard let removed = try rows.first.map(ConversationRows.participant)?.item else { return nil }
        if removed.binding != nil { try await Self.countSMSParticipant(conversation, by: -1, on: connection, logger: logger) }
        return removed
    }
}
