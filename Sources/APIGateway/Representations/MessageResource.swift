import Messaging
import Platform

/// `api.v2010.account.message`. Counters are strings, as Twilio sends them; Parley sets no prices.
struct MessageResource: JSONRepresentable {
    let message: Message

    func write(to json: inout JSONObjectWriter) {
        let uri = API2010.uri("/Accounts/\(message.accountSid)/Messages/\(message.sid)")
        json.field("account_sid", message.accountSid.rawValue)
        json.field("api_version", "2010-04-01")
        json.field("body", message.body)
        json.field("date_created", TwilioDate.rfc2822(message.dateCreated))
        json.field("date_sent", message.dateSent.map(TwilioDate.rfc2822))
        json.field("date_updated", TwilioDate.rfc2822(message.dateUpdated))
        json.field("direction", message.direction.rawValue)
        json.field("error_code", message.errorCode)
        json.field("error_message", message.errorMessage)
        json.field("from", message.from)
        json.field("messaging_service_sid", nil as String?)
        json.field("num_media", String(message.mediaURLs.count))
        json.field("num_segments", String(message.numSegments))
        json.field("price", nil as String?)
        json.field("price_unit", "USD")
        json.field("sid", message.sid.rawValue)
        json.field("status", message.status.rawValue)
        json.field("subresource_uris") { $0.field("media", concatenating: uri, "/Media.json") }
        json.field("to", message.to)
        json.field("uri", concatenating: uri, ".json")
    }
}

/// A message as a sandbox handset received it (`GET /sandbox/v1/Messages`; ours).
struct HandsetMessageResource: JSONRepresentable {
    let received: SandboxHandsets.Received

    func write(to json: inout JSONObjectWriter) {
        json.field("message_sid", received.messageSid.rawValue)
        json.field("account_sid", received.accountSid.rawValue)
        json.field("from", received.from)
        json.field("to", received.to)
        json.field("body", received.body)
        json.field("num_segments", received.numSegments)
        json.field("date_received", TwilioDate.iso8601(received.dateReceived))
    }
}
