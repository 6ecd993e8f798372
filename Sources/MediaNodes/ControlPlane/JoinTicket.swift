import Crypto
import Foundation
import Logging
import Platform

/// What lets a client into one room on one node for a short while, issued by the gateway after it verified
/// the client's access token. Nodes check it without API key secrets: it is signed with a cluster key kept
/// in PostgreSQL (``TicketKey``).
///
/// Wire form: `base64url(payload JSON) "." base64url(HMAC-SHA256(key, payload))`.
public struct JoinTicket: Sendable, Equatable {
    public var account: SID
    public var room: SID
    public var identity: String
    public var node: SID
    /// The participant to resume, when reconnecting.
    public var resume: SID?
    public var expires: Date

    public init(account: SID, room: SID, identity: String, node: SID, resume: SID?, expires: Date) {
        self.account = account
        self.room = room
        self.identity = identity
        self.node = node
        self.resume = resume
        self.expires = expires
    }

    /// How long a ticket is good for: long enough to open a WebSocket, short enough not to matter if leaked.
    public static let lifetime: TimeInterval = 30

    public func signed(with key: TicketKey) -> String {
        var json = JSONObjectWriter()
        json.field("a", account.rawValue)
        json.field("r", room.rawValue)
        json.field("i", identity)
        json.field("n", node.rawValue)
        json.field("p", resume?.rawValue)
        json.field("e", Int(expires.timeIntervalSince1970))
        let payload = json.finished()
        return Base64URL.encode(payload) + "." + Base64URL.encode(Array(key.authenticate(payload)))
    }

    /// The ticket in `text` if its signature holds, it is unexpired at `now` and it is for `node`.
    public static func verify(_ text: String, key: TicketKey, node: SID, now: Date = .now) -> JoinTicket? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(parts[0]), let mac = Base64URL.decode(parts[1]),
            key.isValid(mac, for: payload),
            let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
            let account = (object["a"] as? String).flatMap({ SID($0, prefix: .account) }),
            let room = (object["r"] as? String).flatMap({ SID($0, prefix: .room) }),
            let identity = object["i"] as? String,
            let ticketNode = (object["n"] as? String).flatMap({ SID($0, prefix: .mediaNode) }), ticketNode == node,
            let expiry = object["e"] as? Int, Date(timeIntervalSince1970: TimeInterval(expiry)) > now
        else { return nil }
        let resume = (object["p"] as? String).flatMap { SID($0, prefix: .participant) }
        return JoinTicket(account: account, room: room, identity: identity, node: node, resume: resume,
                          expires: Date(timeIntervalSince1970: TimeInterval(expiry)))
    }
}

/// The cluster's ticket-signing key: 32 random bytes created by whichever process needs it first.
public struct TicketKey: Sendable {
    private let key: SymmetricKey

    public init(bytes: [UInt8]) {
        key = SymmetricKey(data: bytes)
    }

    /// Reads the key from `platform_settings`, creating it on first use.
    public static func load(from database: Database, logger: Logger) async throws -> TicketKey {
        let candidate = Hex.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
        try await database.query(
            """
            INSERT INTO platform_settings (name, value) VALUES ('signaling_ticket_key', \(candidate))
            ON CONFLICT (name) DO NOTHING
            """, logger: logger)
        let rows = try await database.query(
            "SELECT value FROM platform_settings WHERE name = 'signaling_ticket_key'", logger: logger)
        guard let text = try rows.first?.decode(String.self), let bytes = Hex.decode(text), bytes.count == 32 else {
            throw CorruptRowError(table: "platform_settings", key: "signaling_ticket_key")
        }
        return TicketKey(bytes: bytes)
    }

    func authenticate(_ payload: [UInt8]) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: payload, using: key)
    }

    func isValid(_ mac: [UInt8], for payload: [UInt8]) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: key)
    }
}
