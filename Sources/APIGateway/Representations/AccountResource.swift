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
struct AccountResource: JSONRepresentable {
    let account: Account

    /// Twilio's account subresources; each is a relative `.json` URI under the account.
    private static let subresources: [(key: String, suffix: String)] = [
        ("addresses", "Addresses"), ("conferences", "Conferences"), ("signing_keys", "SigningKeys"),
        ("transcriptions", "Transcriptions"), ("connect_apps", "ConnectApps"), ("sip", "SIP"),
        ("authorized_connect_apps", "AuthorizedConnectApps"), ("usage", "Usage"), ("keys", "Keys"),
        ("applications", "Applications"), ("recordings", "Recordings"), ("short_codes", "SMS/ShortCodes"),
        ("calls", "Calls"), ("notifications", "Notifications"), ("incoming_phone_numbers", "IncomingPhoneNumbers"),
        ("queues", "Queues"), ("messages", "Messages"), ("outgoing_caller_ids", "OutgoingCallerIds"),
        ("available_phone_numbers", "AvailablePhoneNumbers"), ("balance", "Balance"),
    ].map { ($0.0, "/\($0.1).json") }

    func write(to json: inout JSONObjectWriter) {
        let base = API2010.uri("/Accounts/\(account.sid)")
        json.field("auth_token", account.authToken)
        json.field("date_created", TwilioDate.rfc2822(account.dateCreated))
        json.field("date_updated", TwilioDate.rfc2822(account.dateUpdated))
        json.field("friendly_name", account.friendlyName)
        json.field("owner_account_sid", account.ownerAccountSid.rawValue)
        json.field("sid", account.sid.rawValue)
        json.field("status", account.status.rawValue)
        json.field("subresource_uris") { uris in
            for subresource in Self.subresources { uris.field(subresource.key, concatenating: base, subresource.suffix) }
        }
        json.field("type", "Full")
        json.field("uri", concatenating: base, ".json")
    }
}

/// `api.v2010.account.key`, and `api.v2010.account.new_key` when `secret` is set (on create only).
struct KeyResource: JSONRepresentable {
    let key: APIKey
    var secret: String? = nil

    func write(to json: inout JSONObjectWriter) {
        json.field("sid", key.sid.rawValue)
        json.field("friendly_name", key.friendlyName)
        json.field("date_created", TwilioDate.rfc2822(key.dateCreated))
        json.field("date_updated", TwilioDate.rfc2822(key.dateUpdated))
        if let secret { json.field("secret", secret) }
    }
}
