import Foundation
import Hummingbird
import Messaging
import Platform

/// Reading the Conversations API's requests: the resources their paths name, JSON attributes, ISO 8601 durations,
/// who acts, and the repositories' errors as Twilio's.
enum ConversationParameters {
    /// Twilio's limit on `Attributes`.
    static let maximumAttributesBytes = 16 * 1024

    /// The caller's conversation that `{ConversationSid}` names (SID or unique name); 404 otherwise.
    static func conversation(_ request: Request, _ context: GatewayRequestContext, _ service: ConversationService) async throws -> Conversation {
        let principal = try context.requirePrincipal()
        guard let value = context.pathValue("ConversationSid"),
            let conversation = try await service.conversations.find(value, account: principal.accountSid, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return conversation
    }

    /// `Attributes` (or `name`): a JSON document of at most 16 KB; nil when absent.
    static func attributes(_ form: FormParameters, _ name: String = "Attributes") throws -> String? {
        guard let text = form.first(name) else { return nil }
        guard text.utf8.count <= maximumAttributesBytes else {
            throw APIError.invalidParameter(name, "must be at most \(maximumAttributesBytes) bytes of JSON")
        }
        guard (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil else {
            throw APIError.invalidParameter(name, "must be valid JSON")
        }
        return text
    }

    /// An ISO 8601 duration (`PT5M`, `P1DT2H`, `P2W`) in whole seconds, at least `minimum`; nil when absent.
    static func duration(_ form: FormParameters, _ name: String, minimum: Int) throws -> Int? {
        guard let text = form.first(name) else { return nil }
        guard let seconds = ISODuration.seconds(text), seconds >= minimum else {
            throw APIError.invalidParameter(name, "must be an ISO 8601 duration of at least \(minimum) seconds, such as PT10M")
        }
        return seconds
    }

    /// REST calls fire hooks only with `X-Twilio-Webhook-Enabled: true`.
    static func actor(_ request: Request) -> ConversationActor {
        let header = request.headers[.twilioWebhookEnabled]
        return .api(webhooksEnabled: header?.lowercased() == "true")
    }

    /// The repositories' refusals as Twilio's errors; other errors pass through.
    static func translate<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as ConversationError {
            throw apiError(error)
        }
    }

    static func apiError(_ error: ConversationError) -> APIError {
        switch error {
        case .uniqueNameTaken(let name):
            APIError(status: 409, code: 50353, message: "Conversation with provided unique name already exists: \(name)")
        case .identityTaken(let identity):
            APIError(status: 409, code: 50433, message: "Participant already exists: \(identity)")
        case .bindingTaken(let address, let proxy, let conversation):
            APIError(
                status: 409, code: 50416,
                message: "A binding for this participant and proxy address already exists in Conversation \(conversation): \(address), \(proxy)")
        case .proxyNotOwned(let proxy):
            APIError.invalidParameter("MessagingBinding.ProxyAddress", "\(proxy) is not an SMS-capable number of this account")
        case .tooManyParticipants(let maximum):
            APIError(status: 400, code: 50438, message: "The conversation has its maximum of \(maximum) participants")
        case .closed:
            APIError(status: 400, code: 50407, message: "The conversation is closed: messages cannot be added")
        case .tooManyWebhooks(let maximum):
            APIError.invalidParameter("Target", "a conversation has at most \(maximum) webhooks")
        case .rejectedByHook(let status):
            APIError(status: 403, code: 20403, message: "The action was rejected by the pre-action webhook (it answered \(status))")
        }
    }
}

/// ISO 8601 durations as Twilio's timers take them: `P[nW]` or `P[nD][T[nH][nM][nS]]`, whole numbers.
enum ISODuration {
    static func seconds(_ text: String) -> Int? {
        var rest = Substring(text.uppercased())
        guard rest.popFirst() == "P", !rest.isEmpty else { return nil }
        var total = 0
        var inTime = false
        var number = ""
        var sawUnit = false
        var sawTimeUnit = false
        for character in rest {
            if character.isASCII && character.isNumber {
                number.append(character)
                continue
            }
            if character == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            guard let value = Int(number) else { return nil }
            number = ""
            let unit: Int? = switch (character, inTime) {
            case ("W", false): 604_800
            case ("D", false): 86_400
            case ("H", true): 3600
            case ("M", true): 60
            case ("S", true): 1
            default: nil
            }
            guard let unit else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: unit)
            guard !overflow, product <= Int(Int32.max) - total else { return nil }
            total += product
            sawUnit = true
            sawTimeUnit = sawTimeUnit || inTime
        }
        // A `T` must be followed by a time unit.
        return number.isEmpty && sawUnit && (!inTime || sawTimeUnit) ? total : nil
    }
}
