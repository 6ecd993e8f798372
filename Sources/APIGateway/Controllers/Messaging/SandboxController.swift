import Hummingbird
import Messaging
import Platform

/// `/sandbox/v1/Messages` (ours): the `sandbox` carrier connection's simulated handsets. A POST is a handset
/// texting a number on the platform (an inbound message); a GET lists what handsets received. Owner account only,
/// and only while the sandbox is enabled.
struct SandboxController: Sendable {
    let accounts: AccountRepository
    let lifecycle: MessageLifecycle
    let handsets: SandboxHandsets
    let enabled: Bool
    let arrived: @Sendable (Message, IncomingPhoneNumber) async -> Void

    static let mount = "/sandbox/v1"

    func register(on routes: RouteRegistrar) {
        routes.post(Self.mount + "/Messages", send)
        routes.get(Self.mount + "/Messages", list)
    }

    /// A handset (`From`, any E.164 number) texts `To`, a number some account owns: 201 with the inbound message.
    @Sendable func send(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try await requireOperator(context)
        let form = context.form
        guard let fromText = form.first("From"), let from = PhoneNumber(lenient: fromText) else {
            throw APIError.invalidParameter("From", "must be the handset's E.164 number")
        }
        guard let toText = form.first("To"), let to = PhoneNumber(lenient: toText) else {
            throw APIError.invalidParameter("To", "must be an E.164 number on the platform")
        }
        let body = form.first("Body") ?? ""
        guard body.count <= MessageRepository.maximumBodyLength else {
            throw APIError.invalidParameter("Body", "must be at most \(MessageRepository.maximumBodyLength) characters")
        }
        guard let (message, number) = try await lifecycle.receive(from: from.e164, to: to, body: body, logger: context.logger) else {
            throw APIError.invalidParameter("To", "\(to) is not a number any account owns")
        }
        await arrived(message, number)
        return JSONResponse.make(MessageResource(message: message), status: .created)
    }

    /// What handsets received, oldest first: every handset's, or `To`'s; at most `PageSize` (default 50, at most 1000).
    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try await requireOperator(context)
        let to = try context.query.first("To").map { text in
            guard let number = PhoneNumber(lenient: text) else { throw APIError.invalidParameter("To", "must be an E.164 number") }
            return number.e164
        }
        let size = try PageRequest(query: context.query.selecting(["PageSize"])).size
        let received = try await handsets.received(to: to, limit: size, logger: context.logger)
        return JSONResponse.make(HandsetInbox(messages: received.map(HandsetMessageResource.init)))
    }

    private func requireOperator(_ context: GatewayRequestContext) async throws {
        let principal = try context.requirePrincipal()
        guard enabled else { throw APIError.forbidden("The sandbox is disabled on this server (parley serve --no-sandbox)") }
        guard try await accounts.ownerSid(logger: context.logger) == principal.accountSid else {
            throw APIError.forbidden("The sandbox is the operator's (owner account) only")
        }
    }
}

/// `{"messages": […]}`.
private struct HandsetInbox: JSONRepresentable {
    let messages: [HandsetMessageResource]

    func write(to json: inout JSONObjectWriter) {
        json.field("messages", objects: messages) { message, json in message.write(to: &json) }
    }
}
