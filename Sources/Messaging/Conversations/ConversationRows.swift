import Foundation
import Platform
import PostgresNIO

/// Decoding of the conversations tables' rows.
enum ConversationRows {
    static let conversationColumns = """
        sid, account_sid, unique_name, friendly_name, attributes, state, messaging_service_sid, inactive_after, closed_after,
        date_inactive, date_closed, last_message_index, date_created, date_updated, seq
        """

    /// `columns` (a list of plain column names) each prefixed with `alias.`, for joins.
    static func qualified(_ columns: String, by alias: String) -> String {
        columns.split(separator: ",").map { "\(alias)." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")
    }

    static func conversation(_ row: PostgresRow) throws -> (sequence: Int64, item: Conversation) {
        let row = row.makeRandomAccess()
        let sid = try row.sid("sid", table: "conversations")
        guard let state = ConversationState(rawValue: try row.value("state")) else {
            throw CorruptRowError(table: "conversations", key: sid.rawValue)
        }
        let conversation = Conversation(
            sid: sid, accountSid: try row.sid("account_sid", table: "conversations"), uniqueName: try row.value("unique_name"),
            friendlyName: try row.value("friendly_name"), attributes: try row.value("attributes"), state: state,
            messagingServiceSid: try row.value("messaging_service_sid"),
            timers: ConversationTimers(inactiveAfter: try row.value("inactive_after"), closedAfter: try row.value("closed_after")),
            dateInactive: try row.value("date_inactive"), dateClosed: try row.value("date_closed"),
            lastMessageIndex: try row.value("last_message_index"), dateCreated: try row.value("date_created"), dateUpdated: try row.value("date_updated"))
        return (try row.value("seq"), conversation)
    }

    static let participantColumns = """
        sid, account_sid, conversation_sid, identity, address, proxy_address, attributes, role_sid, last_read_message_index,
        last_read_timestamp, date_created, date_updated, seq
        """

    static func participant(_ row: PostgresRow) throws -> (sequence: Int64, item: ConversationParticipant) {
        let row = row.makeRandomAccess()
        let address: String? = try row.value("address")
        let proxy: String? = try row.value("proxy_address")
        let participant = ConversationParticipant(
            sid: try row.sid("sid", table: "conversation_participants"),
            accountSid: try row.sid("account_sid", table: "conversation_participants"),
            conversationSid: try row.sid("conversation_sid", table: "conversation_participants"), identity: try row.value("identity"),
            binding: address.flatMap { address in proxy.map { MessagingBinding(address: address, proxyAddress: $0) } },
            attributes: try row.value("attributes"), roleSid: try row.value("role_sid"),
            lastReadMessageIndex: try row.value("last_read_message_index"), lastReadTimestamp: try row.value("last_read_timestamp"),
            dateCreated: try row.value("date_created"), dateUpdated: try row.value("date_updated"))
        return (try row.value("seq"), participant)
    }

    /// A message's columns when it was just added: it has no SMS copies yet.
    static let newMessageColumns = """
        m.sid, m.account_sid, m.conversation_sid, m.message_index, m.author, m.body, m.attributes, m.participant_sid,
        m.date_created, m.date_updated, m.seq, '{}' AS delivery_counts
        """

    /// A message's columns, with its SMS copies' statuses summed up (`m` is `conversation_messages`).
    static let messageColumns = """
        m.sid, m.account_sid, m.conversation_sid, m.message_index, m.author, m.body, m.attributes, m.participant_sid,
        m.date_created, m.date_updated, m.seq,
        (SELECT coalesce(jsonb_object_agg(status, n), '{}')::text FROM (
            SELECT coalesce(s.status, 'unknown') AS status, count(*) AS n FROM conversation_deliveries d
            LEFT JOIN messages s ON s.sid = d.channel_message_sid
            WHERE d.message_sid = m.sid GROUP BY 1) c) AS delivery_counts
        """

    static func message(_ row: PostgresRow) throws -> (sequence: Int64, item: ConversationMessage) {
        let row = row.makeRandomAccess()
        let sid = try row.sid("sid", table: "conversation_messages")
        let countsText: String = try row.value("delivery_counts")
        guard let counts = countsText == "{}" ? [:] : try? JSONDecoder().decode([String: Int].self, from: Data(countsText.utf8)) else {
            throw CorruptRowError(table: "conversation_messages", key: sid.rawValue)
        }
        let total = counts.values.reduce(0, +)
        let message = ConversationMessage(
            sid: sid, accountSid: try row.sid("account_sid", table: "conversation_messages"),
            conversationSid: try row.sid("conversation_sid", table: "conversation_messages"), index: try row.value("message_index"),
            author: try row.value("author"), body: try row.value("body"), attributes: try row.value("attributes"),
            participantSid: try row.optionalSID("participant_sid"),
            delivery: total == 0 ? nil : DeliverySummary(total: total, counts: Self.twilioStatuses(counts)),
            dateCreated: try row.value("date_created"), dateUpdated: try row.value("date_updated"))
        return (try row.value("seq"), message)
    }

    /// The statuses a delivery summary reports; a copy still queued or being sent is in none of them yet.
    private static func twilioStatuses(_ counts: [String: Int]) -> [String: Int] {
        counts.filter { ["sent", "delivered", "read", "failed", "undelivered"].contains($0.key) }
    }
}
