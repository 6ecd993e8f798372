import Foundation
import Logging
import Platform
import PostgresNIO

/// Who did something to a conversation: it decides which hooks fire and what `Source` they report.
public enum ConversationActor: Sendable {
    /// A REST call; hooks fire only when it carried `X-Twilio-Webhook-Enabled: true`.
    case api(webhooksEnabled: Bool)
    /// A chat client, as the identity of its access token.
    case sdk(identity: String)
    /// An SMS from a bound address.
    case sms(address: String)
    /// A conversation's timer.
    case timer

    public var firesHooks: Bool {
        if case .api(let enabled) = self { return enabled }
        return true
    }

    var parameters: [(String, String)] {
        switch self {
        case .api: [("Source", "API")]
        case .sdk(let identity): [("Source", "SDK"), ("ClientIdentity", identity)]
        case .sms: [("Source", "SMS")]
        case .timer: []
        }
    }
}

/// What a pre-action hook answered.
public enum PreHookVerdict: Sendable, Equatable {
    /// Go ahead; with the fields the hook's JSON answer changed (snake_case names), if any.
    case proceed(changes: [String: String])
    /// A non-2xx answer: the action must not happen.
    case rejected(status: Int)
}

/// The account's pre-action hook (synchronous, 5 s, may block or change the action) and the post-action hooks
/// (the account's and the conversation's, queued as deliveries with the change).
public struct ConversationHooks: Sendable {
    let accounts: AccountRepository
    let client: EgressHTTPClient
    let preHookTimeout: Duration

    public init(accounts: AccountRepository, client: EgressHTTPClient, preHookTimeout: Duration = .seconds(5)) {
        self.accounts = accounts
        self.client = client
        self.preHookTimeout = preHookTimeout
    }

    /// Calls the account's `PreWebhookUrl` for `event` (`onMessageAdd`, …) when its filters name the event. No answer
    /// within the timeout lets the action through unchanged, as a 2xx without a JSON body does.
    func pre(
        _ event: String, parameters: [(String, String)], account: SID, actor: ConversationActor, settings: ConversationWebhookSettings,
        logger: Logger
    ) async throws -> PreHookVerdict {
        guard actor.firesHooks, let url = settings.preWebhookURL, settings.filters.contains(event) else { return .proceed(changes: [:]) }
        guard let owner = try await accounts.find(account, visibleTo: account, logger: logger) else { return .proceed(changes: [:]) }
        let all = [("AccountSid", account.rawValue), ("EventType", event)] + actor.parameters + parameters
        let (client, timeout) = (client, preHookTimeout)
        let answer = await withTaskGroup(of: OutboundResult?.self) { group -> OutboundResult? in
            group.addTask {
                await TwilioCallback.send(
                    url: url, method: settings.method, parameters: all, authToken: owner.authToken,
                    idempotencyToken: SID.generate(.delivery).rawValue, client: client)
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let answer, let status = answer.statusCode else {
            logger.warning("a pre-action hook did not answer; going ahead", metadata: ["event": "\(event)", "url": "\(url)"])
            return .proceed(changes: [:])
        }
        guard (200..<300).contains(status) else { return .rejected(status: status) }
        return .proceed(changes: Self.changes(in: answer.body))
    }

    /// The string fields of a hook's JSON answer (others are ignored, as is a body that is not a JSON object).
    static func changes(in body: [UInt8]) -> [String: String] {
        guard !body.isEmpty, let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return [:] }
        return object.compactMapValues { $0 as? String }
    }

    /// Queues `event` (`onMessageAdded`, …) for the account's `PostWebhookUrl` and the conversation's webhooks whose
    /// filters name it, in the caller's transaction. Returns whether any was queued (then call `outbox.committed()`).
    @discardableResult
    static func post(
        _ event: String, parameters: [(String, String)], conversation: SID, account: SID, actor: ConversationActor,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        guard actor.firesHooks else { return false }
        let settings = try await ConversationWebhookRepository.settings(account: account, on: connection, logger: logger)
        var targets: [(url: String, method: DeliveryMethod, webhook: String?)] = []
        if let url = settings.postWebhookURL, settings.filters.contains(event) { targets.append((url, settings.method, nil)) }
        for webhook in try await ConversationWebhookRepository.all(conversation: conversation, on: connection, logger: logger)
        where webhook.target == .webhook && webhook.filters.contains(event) {
            if let url = webhook.url { targets.append((url, webhook.method, webhook.sid.rawValue)) }
        }
        let common = [("AccountSid", account.rawValue), ("EventType", event)] + actor.parameters + parameters
        for target in targets {
            try await TwilioCallback.enqueue(
                account: account, type: "conversations.\(event)", url: target.url, method: target.method,
                parameters: common + (target.webhook.map { [("WebhookSid", $0)] } ?? []), orderingKey: conversation.rawValue,
                on: connection, logger: logger)
        }
        return !targets.isEmpty
    }
}
