import Logging
import Platform

/// Where a message that arrived at an owned number goes: the one place that decides (today the number's
/// `SmsUrl`, with its fallback; later issues add Conversations and Flows here).
public struct InboundRouter: Sendable {
    let accounts: AccountRepository
    let client: EgressHTTPClient
    let logger: Logger

    public init(accounts: AccountRepository, client: EgressHTTPClient, logger: Logger) {
        self.accounts = accounts
        self.client = client
        self.logger = logger
    }

    /// POSTs (or GETs) Twilio's incoming-message parameters to the number's `SmsUrl`, signed with the owner's auth
    /// token; when that fails (no answer or an HTTP error), to its `SmsFallbackUrl`.
    public func route(_ message: Message, to number: IncomingPhoneNumber) async {
        let configuration = number.configuration
        guard let url = configuration.smsURL else { return }
        do {
            guard let account = try await accounts.find(message.accountSid, visibleTo: message.accountSid, logger: logger) else { return }
            let parameters = Self.webhookParameters(message, number: number)
            let answer = await TwilioCallback.send(
                url: url, method: configuration.smsMethod, parameters: parameters, authToken: account.authToken,
                idempotencyToken: message.sid.rawValue, client: client)
            if let status = answer.statusCode, status < 400 { return }
            logger.warning("SmsUrl failed", metadata: ["message": "\(message.sid)", "status": "\(answer.statusCode.map(String.init) ?? "none")"])
            guard let fallback = configuration.smsFallbackURL else { return }
            _ = await TwilioCallback.send(
                url: fallback, method: configuration.smsFallbackMethod, parameters: parameters, authToken: account.authToken,
                idempotencyToken: message.sid.rawValue, client: client)
        } catch {
            logger.error("could not route an inbound message", metadata: ["message": "\(message.sid)", "error": "\(error)"])
        }
    }

    /// Twilio's incoming-message parameters; the `To…` geography comes from the inventory.
    static func webhookParameters(_ message: Message, number: IncomingPhoneNumber) -> [(String, String)] {
        let inventory = number.number
        return [
            ("MessageSid", message.sid.rawValue), ("SmsSid", message.sid.rawValue), ("SmsMessageSid", message.sid.rawValue),
            ("AccountSid", message.accountSid.rawValue), ("MessagingServiceSid", ""), ("From", message.from), ("To", message.to),
            ("Body", message.body), ("NumMedia", "0"), ("NumSegments", String(message.numSegments)), ("SmsStatus", "received"),
            ("ApiVersion", "2010-04-01"), ("ToCity", inventory.locality ?? ""), ("ToState", inventory.region ?? ""),
            ("ToZip", inventory.postalCode ?? ""), ("ToCountry", inventory.isoCountry),
        ]
    }
}
