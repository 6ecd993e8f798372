import Logging
import Platform
import PostgresNIO

/// A message's status callbacks: one per status change, to its `StatusCallback`, signed, in order per message.
enum MessageCallbacks {
    /// Queues the callback for `message`'s current status (nothing when it has no `StatusCallback`), in the
    /// transaction that changed it.
    static func statusChanged(_ message: Message, on connection: PostgresConnection, logger: Logger) async throws {
        guard let url = message.statusCallback else { return }
        var parameters = [
            ("MessageSid", message.sid.rawValue), ("SmsSid", message.sid.rawValue), ("AccountSid", message.accountSid.rawValue),
            ("From", message.from), ("To", message.to), ("MessageStatus", message.status.rawValue),
            ("SmsStatus", message.status.rawValue), ("ApiVersion", "2010-04-01"),
        ]
        if let code = message.errorCode { parameters.append(("ErrorCode", String(code))) }
        try await TwilioCallback.enqueue(
            account: message.accountSid, type: "message.status_callback", url: url, method: message.statusCallbackMethod,
            parameters: parameters, orderingKey: message.sid.rawValue, on: connection, logger: logger)
    }
}
