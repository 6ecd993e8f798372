import Flows
import Logging
import Platform

/// Where a message that arrived at an owned number goes: the one place that decides. A message from an address
/// bound to the number in a conversation joins that conversation; a reply to a flow execution waiting for it
/// resumes that execution; a number whose `SmsUrl` is a flow's webhook URL starts an execution of the flow; any
/// other goes to the number's `SmsUrl`, with its fallback.
public struct InboundRouter: Sendable {
    let accounts: AccountRepository
    let messages: MessageRepository
    let conversations: ConversationService
    let flows: FlowRepository
    let flowEngine: FlowEngine
    let client: EgressHTTPClient
    let sending: Alarm
    let logger: Logger

    /// TwiML `<Redirect>`s followed for one message, at most.
    static let maximumRedirects = 10

    /// - Parameter sending: rung when replies are queued.
    public init(
        accounts: AccountRepository, messages: MessageRepository, conversations: ConversationService, flows: FlowRepository,
        flowEngine: FlowEngine, client: EgressHTTPClient, sending: Alarm, logger: Logger
    ) {
        self.accounts = accounts
        self.messages = messages
        self.conversations = conversations
        self.flows = flows
        self.flowEngine = flowEngine
        self.client = client
        self.sending = sending
        self.logger = logger
    }

    /// POSTs (or GETs) Twilio's incoming-message parameters to the number's `SmsUrl`, signed with the owner's auth
    /// token; when that fails (no answer, an HTTP error, TwiML that is not valid), to its `SmsFallbackUrl`. The
    /// TwiML answer's `<Message>`s are queued as replies; `<Redirect>` fetches the next document.
    public func route(_ message: Message, to number: IncomingPhoneNumber) async {
        do {
            if try await conversations.receive(message, logger: logger) { return }
        } catch {
            logger.error("could not add an inbound message to its conversation", metadata: ["message": "\(message.sid)", "error": "\(error)"])
            return
        }
        let configuration = number.configuration
        let parameters = Self.webhookParameters(message, number: number)
        do {
            // A reply resumes its execution whatever the number's SmsUrl (a REST-started execution waits too).
            if try await flowEngine.deliverReply(message, parameters: parameters, logger: logger) { return }
            if let url = configuration.smsURL, let flow = FlowWebhookURL(url), flow.account == message.accountSid {
                try await startFlow(flow.flow, for: message, parameters: parameters)
                return
            }
        } catch {
            logger.error("could not hand an inbound message to a flow", metadata: ["message": "\(message.sid)", "error": "\(error)"])
            return
        }
        guard let url = configuration.smsURL else { return }
        do {
            guard let account = try await accounts.find(message.accountSid, visibleTo: message.accountSid, logger: logger) else { return }
            var request: (url: String, method: DeliveryMethod)? = (url, configuration.smsMethod)
            var fallback = configuration.smsFallbackURL.map { ($0, configuration.smsFallbackMethod) }
            var redirects = 0
            while let (url, method) = request, redirects <= Self.maximumRedirects {
                request = nil
                let answer = await TwilioCallback.send(
                    url: url, method: method, parameters: parameters, authToken: account.authToken,
                    idempotencyToken: message.sid.rawValue, client: client)
                let verbs: [MessagingTwiML.Verb]
                do {
                    guard let status = answer.statusCode, status < 400 else { throw InboundFailure.status(answer.statusCode) }
                    verbs = try MessagingTwiML.parse(String(decoding: answer.body, as: UTF8.self))
                } catch {
                    logger.warning("SmsUrl failed", metadata: ["message": "\(message.sid)", "url": "\(url)", "reason": "\(error)"])
                    request = fallback
                    fallback = nil
                    continue
                }
                fallback = nil
                for verb in verbs {
                    switch verb {
                    case .message(let reply): await queue(reply, answering: message)
                    case .redirect(let target, let method):
                        request = (Self.resolve(target, against: url), method.flatMap { DeliveryMethod(rawValue: $0.uppercased()) } ?? .post)
                        redirects += 1
                    }
                    if request != nil { break }
                }
            }
        } catch {
            logger.error("could not route an inbound message", metadata: ["message": "\(message.sid)", "error": "\(error)"])
        }
    }

    /// Starts an execution of `flow` with `trigger.message` = the incoming-message parameters. A contact with an
    /// active execution of the flow that does not wait for a reply starts nothing (Studio's rule: one at a time).
    private func startFlow(_ sid: SID, for message: Message, parameters: [(String, String)]) async throws {
        guard let flow = try await flows.runnableRevision(sid, account: message.accountSid, contact: message.from, logger: logger) else {
            logger.warning("SmsUrl names a flow that does not exist", metadata: ["message": "\(message.sid)", "flow": "\(sid)"])
            return
        }
        let variables = JSONValue.object(Dictionary(parameters.map { ($0.0, JSONValue.string($0.1)) }, uniquingKeysWith: { first, _ in first }))
        let trigger = FlowEngine.Trigger(
            event: "incomingMessage", variables: ["message": variables], contactAddress: message.from, flowAddress: message.to,
            data: .object([:]), initiatedBy: message.sid.rawValue)
        do {
            _ = try await flowEngine.start(flow, trigger, logger: logger)
        } catch FlowError.activeExecutionExists {
            logger.info("the contact's execution of the flow is busy; message not handed to it", metadata: ["message": "\(message.sid)"])
        }
    }

    /// Queues a TwiML `<Message>` as a reply: to the sender, from the number, unless it says otherwise.
    private func queue(_ reply: MessagingTwiML.Reply, answering message: Message) async {
        guard let from = PhoneNumber(lenient: reply.from ?? message.to), let to = PhoneNumber(lenient: reply.to ?? message.from) else {
            logger.warning("a TwiML reply has an invalid address", metadata: ["message": "\(message.sid)"])
            return
        }
        var new = NewMessage(from: from, to: to, body: reply.body)
        new.mediaURLs = reply.media
        new.statusCallback = reply.statusCallback
        new.direction = .outboundReply
        do {
            _ = try await messages.create(new, account: message.accountSid, logger: logger)
            sending.ring()
        } catch {
            logger.warning("a TwiML reply was refused", metadata: ["message": "\(message.sid)", "error": "\(error)"])
        }
    }

    /// `target` as an absolute URL: as it is, or relative to `base` (a path from its host, or from its directory).
    static func resolve(_ target: String, against base: String) -> String {
        if target.contains("://") { return target }
        guard let schemeEnd = base.range(of: "://") else { return target }
        let afterScheme = base[schemeEnd.upperBound...]
        let hostEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        if target.hasPrefix("/") { return String(base[..<hostEnd]) + target }
        let path = base[hostEnd...].prefix { $0 != "?" && $0 != "#" }
        let directory = path.lastIndex(of: "/").map { path[...$0] } ?? "/"
        return String(base[..<hostEnd]) + directory + target
    }

    private enum InboundFailure: Error, CustomStringConvertible {
        case status(Int?)
        var description: String {
            switch self {
            case .status(let code?): "HTTP \(code)"
            case .status(nil): "no answer"
            }
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
