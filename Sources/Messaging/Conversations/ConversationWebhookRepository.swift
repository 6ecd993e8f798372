import Foundation
import Logging
import Platform
import PostgresNIO

/// A conversation-scoped webhook: where a conversation's post-action events go.
public struct ConversationWebhook: Sendable {
    public enum Target: String, Sendable, CaseIterable {
        case webhook
        case studio
    }

    public var sid: SID
    public var accountSid: SID
    public var conversationSid: SID
    public var target: Target
    public var url: String?
    public var method: DeliveryMethod
    /// Event names (`onMessageAdded`, …); empty: none.
    public var filters: [String]
    public var flowSid: String?
    public var dateCreated: Date
    public var dateUpdated: Date
}

/// The fields a webhook create or update sets; `nil` leaves a field as it is.
public struct ConversationWebhookFields: Sendable {
    public var target: ConversationWebhook.Target?
    public var url: String?
    public var method: DeliveryMethod?
    public var filters: [String]?
    public var flowSid: String?

    public init() {}
}

/// An account's `Configuration/Webhooks`: its pre- and post-action hooks for every conversation.
public struct ConversationWebhookSettings: Sendable {
    public enum Target: String, Sendable, CaseIterable {
        case webhook
        case flex
    }

    public var method: DeliveryMethod = .post
    public var filters: [String] = []
    public var preWebhookURL: String?
    public var postWebhookURL: String?
    public var target: Target = .webhook

    public init() {}
}

/// Conversation-scoped webhooks and the accounts' webhook settings.
public struct ConversationWebhookRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Twilio's cap on a conversation's scoped webhooks.
    public static let maximumPerConversation = 5

    static let columns = "sid, account_sid, conversation_sid, target, url, method, filters, flow_sid, date_created, date_updated, seq"

    /// Adds a webhook to a conversation (whose row the caller has locked, so the cap holds).
    public func create(
        _ fields: ConversationWebhookFields, conversation: SID, account: SID, on connection: PostgresConnection, logger: Logger
    ) async throws -> ConversationWebhook {
        let count = try await connection.query(
            "SELECT count(*) FROM conversation_webhooks WHERE conversation_sid = \(conversation.rawValue)", logger: logger
        ).collect().first?.decode(Int.self) ?? 0
        guard count < Self.maximumPerConversation else { throw ConversationError.tooManyWebhooks(Self.maximumPerConversation) }
        let rows = try await connection.query(
            """
            INSERT INTO conversation_webhooks (sid, account_sid, conversation_sid, target, url, method, filters, flow_sid)
            VALUES (\(SID.generate(.conversationWebhook).rawValue), \(account.rawValue), \(conversation.rawValue),
                \((fields.target ?? .webhook).rawValue), \(fields.url), \((fields.method ?? .post).rawValue), \(fields.filters ?? []),
                \(fields.flowSid))
            RETURNING \(unescaped: Self.columns)
            """, logger: logger
        ).collect()
        return try Self.webhook(rows[0]).item
    }

    public func find(_ sid: SID, conversation: SID, account: SID, logger: Logger) async throws -> ConversationWebhook? {
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns) FROM conversation_webhooks
            WHERE sid = \(sid.rawValue) AND conversation_sid = \(conversation.rawValue) AND account_sid = \(account.rawValue)
            """, logger: logger)
        return try rows.first.map(Self.webhook)?.item
    }

    public func list(conversation: SID, account: SID, cursor: PageCursor, pageSize: Int, logger: Logger) async throws -> Page<ConversationWebhook> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns) FROM conversation_webhooks
            WHERE account_sid = \(account.rawValue) AND conversation_sid = \(conversation.rawValue)
              AND seq > \(bounds.after) AND seq < \(bounds.before)
            ORDER BY seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(Self.webhook), pageSize: pageSize, cursor: cursor)
    }

    /// Every webhook of a conversation, for delivering its events.
    static func all(conversation: SID, on connection: PostgresConnection, logger: Logger) async throws -> [ConversationWebhook] {
        try await connection.query(
            "SELECT \(unescaped: Self.columns) FROM conversation_webhooks WHERE conversation_sid = \(conversation.rawValue) ORDER BY seq",
            logger: logger
        ).collect().map { try webhook($0).item }
    }

    public func update(
        _ sid: SID, _ fields: ConversationWebhookFields, conversation: SID, account: SID, logger: Logger
    ) async throws -> ConversationWebhook? {
        let rows = try await database.query(
            """
            UPDATE conversation_webhooks SET url = coalesce(\(fields.url), url), method = coalesce(\(fields.method?.rawValue), method),
                filters = coalesce(\(fields.filters), filters), flow_sid = coalesce(\(fields.flowSid), flow_sid), date_updated = now()
            WHERE sid = \(sid.rawValue) AND conversation_sid = \(conversation.rawValue) AND account_sid = \(account.rawValue)
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)
        return try rows.first.map(Self.webhook)?.item
    }

    public func delete(_ sid: SID, conversation: SID, account: SID, logger: Logger) async throws -> Bool {
        let rows = try await database.query(
            """
            DELETE FROM conversation_webhooks
            WHERE sid = \(sid.rawValue) AND conversation_sid = \(conversation.rawValue) AND account_sid = \(account.rawValue)
            RETURNING sid
            """, logger: logger)
        return !rows.isEmpty
    }

    /// The account's settings (the defaults until it sets any).
    public func settings(account: SID, logger: Logger) async throws -> ConversationWebhookSettings {
        try await database.withConnection { try await Self.settings(account: account, on: $0, logger: logger) }
    }

    static func settings(account: SID, on connection: PostgresConnection, logger: Logger) async throws -> ConversationWebhookSettings {
        let rows = try await connection.query(
            """
            SELECT method, filters, pre_webhook_url, post_webhook_url, target FROM conversation_webhook_settings
            WHERE account_sid = \(account.rawValue)
            """, logger: logger
        ).collect()
        var settings = ConversationWebhookSettings()
        guard let row = rows.first else { return settings }
        let (method, filters, pre, post, target) = try row.decode((String, [String], String?, String?, String).self)
        guard let method = DeliveryMethod(rawValue: method), let target = ConversationWebhookSettings.Target(rawValue: target) else {
            throw CorruptRowError(table: "conversation_webhook_settings", key: account.rawValue)
        }
        settings.method = method
        settings.filters = filters
        settings.preWebhookURL = pre
        settings.postWebhookURL = post
        settings.target = target
        return settings
    }

    /// Stores the account's settings whole.
    public func save(_ settings: ConversationWebhookSettings, account: SID, logger: Logger) async throws {
        try await database.query(
            """
            INSERT INTO conversation_webhook_settings (account_sid, method, filters, pre_webhook_url, post_webhook_url, target)
            VALUES (\(account.rawValue), \(settings.method.rawValue), \(settings.filters), \(settings.preWebhookURL),
                \(settings.postWebhookURL), \(settings.target.rawValue))
            ON CONFLICT (account_sid) DO UPDATE SET method = excluded.method, filters = excluded.filters,
                pre_webhook_url = excluded.pre_webhook_url, post_webhook_url = excluded.post_webhook_url, target = excluded.target,
                date_updated = now()
            """, logger: logger)
    }

    static func webhook(_ row: PostgresRow) throws -> (sequence: Int64, item: ConversationWebhook) {
        let row = row.makeRandomAccess()
        let sid = try row.sid("sid", table: "conversation_webhooks")
        guard let target = ConversationWebhook.Target(rawValue: try row.value("target")),
            let method = DeliveryMethod(rawValue: try row.value("method"))
        else { throw CorruptRowError(table: "conversation_webhooks", key: sid.rawValue) }
        let webhook = ConversationWebhook(
            sid: sid, accountSid: try row.sid("account_sid", table: "conversation_webhooks"),
            conversationSid: try row.sid("conversation_sid", table: "conversation_webhooks"), target: target, url: try row.value("url"),
            method: method, filters: try row.value("filters"), flowSid: try row.value("flow_sid"),
            dateCreated: try row.value("date_created"), dateUpdated: try row.value("date_updated"))
        return (try row.value("seq"), webhook)
    }
}
