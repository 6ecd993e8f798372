/// A Twilio-style string identifier: a two-letter type prefix followed by 32 lowercase hex digits,
/// e.g. `AC0123456789abcdef0123456789abcdef`.
public struct SID: Hashable, Sendable, CustomStringConvertible {
    /// The full 34-character identifier.
    public let rawValue: String

    /// Parses `string` as a SID, optionally requiring a given prefix. Upper-case hex is accepted
    /// (Twilio's own pattern allows it) and normalised to lower case.
    public init?(_ string: some StringProtocol, prefix: SIDPrefix? = nil) {
        let utf8 = Array(string.utf8)
        guard utf8.count == 34,
            utf8[0] >= UInt8(ascii: "A"), utf8[0] <= UInt8(ascii: "Z"),
            utf8[1] >= UInt8(ascii: "A"), utf8[1] <= UInt8(ascii: "Z"),
            utf8[2...].allSatisfy(\.isHexDigit)
        else { return nil }
        let value = String(string.prefix(2)) + string.dropFirst(2).lowercased()
        if let prefix, !value.hasPrefix(prefix.rawValue) { return nil }
        self.rawValue = value
    }

    /// A new random SID with the given prefix (128 bits from the system CSPRNG).
    public static func generate(_ prefix: SIDPrefix) -> SID {
        SID(unchecked: prefix.rawValue + RandomToken.hex(byteCount: 16))
    }

    private init(unchecked: String) { self.rawValue = unchecked }

    /// The two-letter type prefix.
    public var prefix: SIDPrefix { SIDPrefix(rawValue: String(rawValue.prefix(2))) }

    public var description: String { rawValue }
}

/// The two-letter type prefix of a ``SID``.
public struct SIDPrefix: RawRepresentable, Hashable, Sendable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let account = SIDPrefix(rawValue: "AC")
    public static let apiKey = SIDPrefix(rawValue: "SK")
    public static let request = SIDPrefix(rawValue: "RQ")
    /// Parley's own: an event (also its webhook id), an event subscription, a webhook delivery.
    public static let event = SIDPrefix(rawValue: "EV")
    public static let eventSubscription = SIDPrefix(rawValue: "ES")
    public static let delivery = SIDPrefix(rawValue: "ED")
    /// Video: a room, a participant, a published track (Twilio's), and Parley's media node.
    public static let room = SIDPrefix(rawValue: "RM")
    public static let participant = SIDPrefix(rawValue: "PA")
    public static let track = SIDPrefix(rawValue: "MT")
    public static let mediaNode = SIDPrefix(rawValue: "MN")
    /// A media stream of a participant's audio to a WebSocket consumer (Twilio's stream prefix).
    public static let mediaStream = SIDPrefix(rawValue: "MZ")
    /// Messaging: a number an account owns (Twilio's IncomingPhoneNumber).
    public static let phoneNumber = SIDPrefix(rawValue: "PN")
    /// Messaging: an SMS message.
    public static let message = SIDPrefix(rawValue: "SM")
    /// Conversations: a conversation, its participants, its messages, a message's SMS copy (delivery receipt), a
    /// conversation-scoped webhook, and the account's default Conversation Service.
    public static let conversation = SIDPrefix(rawValue: "CH")
    public static let conversationParticipant = SIDPrefix(rawValue: "MB")
    public static let conversationMessage = SIDPrefix(rawValue: "IM")
    public static let conversationDelivery = SIDPrefix(rawValue: "DY")
    public static let conversationWebhook = SIDPrefix(rawValue: "WH")
    public static let chatService = SIDPrefix(rawValue: "IS")
    /// Studio: a flow, an execution, an execution's step, and the contact an execution is with.
    public static let flow = SIDPrefix(rawValue: "FW")
    public static let flowExecution = SIDPrefix(rawValue: "FN")
    public static let flowStep = SIDPrefix(rawValue: "FT")
    public static let flowContact = SIDPrefix(rawValue: "FC")
}

extension UInt8 {
    var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
