/// Every event type Parley emits, and the events of the resources built so far. Each later resource adds
/// its types here and documents them in docs/events.md and openapi/asyncapi.yaml.
public enum EventCatalogue {
    public static let types: [String] = [
        "account.created", "account.updated",
        "key.created", "key.updated", "key.deleted",
        // Video rooms (the same facts as the rooms' status callbacks).
        "room.created", "room.ended", "participant.connected", "participant.disconnected",
        "track.added", "track.removed", "track.enabled", "track.disabled",
        // Media streams (the same facts as the streams' status callbacks).
        "stream.started", "stream.stopped", "stream.error", "stream.warning",
    ]

    public static func accountCreated(_ account: Account) -> Event { accountEvent("account.created", account) }
    public static func accountUpdated(_ account: Account) -> Event { accountEvent("account.updated", account) }

    public static func keyCreated(_ key: APIKey) -> Event { keyEvent("key.created", key) }
    public static func keyUpdated(_ key: APIKey) -> Event { keyEvent("key.updated", key) }
    public static func keyDeleted(_ key: APIKey) -> Event { keyEvent("key.deleted", key) }

    /// No auth token: secrets never travel in events.
    private static func accountEvent(_ type: String, _ account: Account) -> Event {
        Event(type: type, accountSid: account.sid, data: [
            ("sid", .string(account.sid.rawValue)),
            ("friendly_name", .string(account.friendlyName)),
            ("status", .string(account.status.rawValue)),
            ("owner_account_sid", .string(account.ownerAccountSid.rawValue)),
            ("date_created", .date(account.dateCreated)),
            ("date_updated", .date(account.dateUpdated)),
        ])
    }

    private static func keyEvent(_ type: String, _ key: APIKey) -> Event {
        Event(type: type, accountSid: key.accountSid, data: [
            ("sid", .string(key.sid.rawValue)),
            ("account_sid", .string(key.accountSid.rawValue)),
            ("friendly_name", .string(key.friendlyName)),
            ("date_created", .date(key.dateCreated)),
            ("date_updated", .date(key.dateUpdated)),
        ])
    }
}

/// A subscription's filter entry: an exact type (`account.created`), a prefix wildcard (`account.*`), or `*`.
public enum EventTypePattern {
    /// Checks `pattern`'s spelling and that it matches at least one catalogued type (a typo would otherwise
    /// subscribe to nothing, silently).
    public static func validate(_ pattern: String, catalogue: [String] = EventCatalogue.types) throws(EventTypePatternError) {
        let body = pattern.hasSuffix(".*") ? String(pattern.dropLast(2)) : pattern
        if pattern != "*" {
            let segments = body.split(separator: ".", omittingEmptySubsequences: false)
            guard !body.isEmpty,
                segments.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f } })
            else { throw .malformed(pattern) }
        }
        guard catalogue.contains(where: { candidates(for: $0).contains(pattern) }) else { throw .matchesNothing(pattern) }
    }

    /// The patterns that match `type`: `*`, each dotted prefix followed by `.*`, and `type` itself.
    /// A subscription matches when its patterns and these overlap (an index-friendly array overlap in SQL).
    public static func candidates(for type: String) -> [String] {
        var candidates = ["*"]
        var prefix = ""
        for segment in type.split(separator: ".").dropLast() {
            prefix += prefix.isEmpty ? String(segment) : "." + segment
            candidates.append(prefix + ".*")
        }
        candidates.append(type)
        return candidates
    }
}

public enum EventTypePatternError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case matchesNothing(String)

    public var description: String {
        switch self {
        case .malformed(let pattern):
            "\"\(pattern)\" is not an event type pattern: use a type (account.created), a prefix wildcard (account.*) or *"
        case .matchesNothing(let pattern):
            "\"\(pattern)\" matches no event type; known types: \(EventCatalogue.types.joined(separator: ", "))"
        }
    }
}
