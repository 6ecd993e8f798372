import Platform

/// Where API 2010 lives: the SDK's `https://api.twilio.com/2010-04-01/…` is served at `/api/2010-04-01/…`,
/// and URIs inside responses are relative to the product, as Twilio's are (`/2010-04-01/…`).
enum API2010 {
    static let mount = "/api"
    static let version = "/2010-04-01"

    /// A route template under the mount.
    static func route(_ path: String) -> String { mount + version + path }
    /// A URI as it appears in responses.
    static func uri(_ path: String) -> String { version + path }
}

/// `api.v2010.account`.
struct AccountResource: Encodable, Sendable {
    let account: Account

    /// Twilio's account subresources; each is a relative `.json` URI under the account.
    private static let subresources: [(key: String, path: String)] = [
        ("addresses", "Addresses"), ("conferences", "Conferences"), ("signing_keys", "SigningKeys"),
        ("transcriptions", "Transcriptions"), ("connect_apps", "ConnectApps"), ("sip", "SIP"),
        ("authorized_connect_apps", "AuthorizedConnectApps"), ("usage", "Usage"), ("keys", "Keys"),
        ("applications", "Applications"), ("recordings", "Recordings"), ("short_codes", "SMS/ShortCodes"),
        ("calls", "Calls"), ("notifications", "Notifications"), ("incoming_phone_numbers", "IncomingPhoneNumbers"),
        ("queues", "Queues"), ("messages", "Messages"), ("outgoing_caller_ids", "OutgoingCallerIds"),
        ("available_phone_numbers", "AvailablePhoneNumbers"), ("balance", "Balance"),
    ]

    enum CodingKeys: String, CodingKey {
        case authToken = "auth_token", dateCreated = "date_created", dateUpdated = "date_updated"
        case friendlyName = "friendly_name", ownerAccountSid = "owner_account_sid", sid, status
        case subresourceURIs = "subresource_uris", type, uri
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let base = "/Accounts/\(account.sid)"
        try container.encode(account.authToken, forKey: .authToken)
        try container.encode(TwilioDate.rfc2822(account.dateCreated), forKey: .dateCreated)
        try container.encode(TwilioDate.rfc2822(account.dateUpdated), forKey: .dateUpdated)
        try container.encode(account.friendlyName, forKey: .friendlyName)
        try container.encode(account.ownerAccountSid.rawValue, forKey: .ownerAccountSid)
        try container.encode(account.sid.rawValue, forKey: .sid)
        try container.encode(account.status.rawValue, forKey: .status)
        try container.encode(
            Dictionary(uniqueKeysWithValues: Self.subresources.map { ($0.key, API2010.uri("\(base)/\($0.path).json")) }),
            forKey: .subresourceURIs)
        try container.encode("Full", forKey: .type)
        try container.encode(API2010.uri("\(base).json"), forKey: .uri)
    }
}

/// `api.v2010.account.key`, and `api.v2010.account.new_key` when `secret` is set (on create only).
struct KeyResource: Encodable, Sendable {
    let key: APIKey
    var secret: String? = nil

    enum CodingKeys: String, CodingKey {
        case sid, friendlyName = "friendly_name", dateCreated = "date_created", dateUpdated = "date_updated", secret
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key.sid.rawValue, forKey: .sid)
        try container.encode(key.friendlyName, forKey: .friendlyName)
        try container.encode(TwilioDate.rfc2822(key.dateCreated), forKey: .dateCreated)
        try container.encode(TwilioDate.rfc2822(key.dateUpdated), forKey: .dateUpdated)
        if let secret { try container.encode(secret, forKey: .secret) }
    }
}
