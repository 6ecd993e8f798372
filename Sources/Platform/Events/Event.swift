import Foundation

/// Something that happened to an account's resources, reported to its subscribers.
///
/// The `data` of an event is flat (name → string, number, boolean or null), so the same event can go out
/// as JSON (`data` object, snake_case names) and as a Twilio parameter set (PascalCase names).
public struct Event: Sendable {
    /// `EV…`: stable across every attempt and every subscriber, for de-duplication.
    public let sid: SID
    /// Dotted lowercase type, e.g. `account.created`; see ``EventCatalogue``.
    public let type: String
    /// The account the event concerns (its parent's subscribers hear of it too).
    public let accountSid: SID
    public let occurredAt: Date
    public let data: [(name: String, value: EventValue)]

    public init(type: String, accountSid: SID, data: [(name: String, value: EventValue)], sid: SID = .generate(.event), occurredAt: Date = .now) {
        self.sid = sid
        self.type = type
        self.accountSid = accountSid
        self.occurredAt = occurredAt
        self.data = data
    }

    /// The native JSON body: `{"id", "type", "timestamp", "account_sid", "data": {…}}`.
    public var jsonBody: [UInt8] {
        var json = JSONObjectWriter()
        json.field("id", sid.rawValue)
        json.field("type", type)
        json.field("timestamp", EventValue.timestamp(occurredAt))
        json.field("account_sid", accountSid.rawValue)
        json.field("data") { object in
            for (name, value) in data {
                switch value {
                case .string(let text): object.field(name, text)
                case .integer(let number): object.field(name, number)
                case .boolean(let flag): object.field(name, flag)
                }
            }
        }
        return json.finished()
    }

    /// The Twilio-style parameter set: `EventSid`, `EventType`, `AccountSid`, `Timestamp`, then every data
    /// field in PascalCase. A null is sent as an empty value, as Twilio sends absent callback fields.
    public var formParameters: [(String, String)] {
        var pairs = [
            ("EventSid", sid.rawValue), ("EventType", type), ("AccountSid", accountSid.rawValue),
            ("Timestamp", EventValue.timestamp(occurredAt)),
        ]
        for (name, value) in data where name != "account_sid" {
            pairs.append((Self.pascalCase(name), value.formValue))
        }
        return pairs
    }

    /// `owner_account_sid` → `OwnerAccountSid`.
    public static func pascalCase(_ name: String) -> String {
        name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

/// A value in an event's flat `data`.
public enum EventValue: Sendable, Equatable {
    case string(String?)
    case integer(Int)
    case boolean(Bool)

    /// A date as events carry it: ISO 8601, UTC, milliseconds (`2026-11-21T20:00:00.123Z`).
    public static func date(_ date: Date) -> EventValue { .string(timestamp(date)) }

    public static func timestamp(_ date: Date) -> String {
        let time = UTCTime(date)
        return time.isoDateTime + "." + UTCTime.pad(time.millisecond, width: 3) + "Z"
    }

    /// As a Twilio parameter value: text, digits, `true`/`false`, empty for null.
    public var formValue: String {
        switch self {
        case .string(let text): text ?? ""
        case .integer(let number): String(number)
        case .boolean(let flag): flag ? "true" : "false"
        }
    }
}
