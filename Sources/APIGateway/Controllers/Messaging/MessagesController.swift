import Foundation
import Hummingbird
import Messaging
import Platform

/// API 2010 Messages: sending SMS from the account's numbers, and reading what was sent and received.
struct MessagesController: Sendable {
    let accounts: AccountRepository
    let messages: MessageRepository
    let sender: MessageSender
    let egress: EgressHTTPClient

    func register(on routes: RouteRegistrar) {
        routes.post(API2010.route("/Accounts/{AccountSid}/Messages.json"), create)
        routes.get(API2010.route("/Accounts/{AccountSid}/Messages.json"), list)
        routes.get(API2010.route("/Accounts/{AccountSid}/Messages/{Sid}.json"), fetch)
        routes.delete(API2010.route("/Accounts/{AccountSid}/Messages/{Sid}.json"), delete)
    }

    /// Queues a message: 201 with status `queued`; it leaves at its number's rate.
    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let form = context.form
        guard let toText = form.first("To"), !toText.isEmpty else { throw APIError(status: 400, code: 21604, message: "A 'To' phone number is required.") }
        guard let to = PhoneNumber(lenient: toText) else {
            throw APIError(status: 400, code: 21211, message: "Invalid 'To' Phone Number: \(toText) (use E.164, such as +14155551212)")
        }
        guard let fromText = form.first("From"), !fromText.isEmpty else {
            throw APIError(status: 400, code: 21603, message: "A 'From' phone number is required.")
        }
        guard let from = PhoneNumber(lenient: fromText) else {
            throw APIError(status: 400, code: 21212, message: "Invalid 'From' Phone Number: \(fromText)")
        }
        let body = form.first("Body") ?? ""
        let mediaURLs = form.all("MediaUrl")
        guard !body.isEmpty || !mediaURLs.isEmpty else { throw APIError(status: 400, code: 21602, message: "Message body is required.") }
        guard body.count <= MessageRepository.maximumBodyLength else {
            throw APIError(status: 400, code: 21617, message: "The concatenated message body exceeds the 1600 character limit.")
        }
        var new = NewMessage(from: from, to: to, body: body)
        for url in mediaURLs { try await egress.checkParameter("MediaUrl", url: url) }
        new.mediaURLs = mediaURLs
        if let callback = form.first("StatusCallback"), !callback.isEmpty {
            try await egress.checkParameter("StatusCallback", url: callback)
            new.statusCallback = callback
        }
        if let method = try form.deliveryMethod("StatusCallbackMethod") { new.statusCallbackMethod = method }
        if let text = form.first("ValidityPeriod") {
            new.validityPeriod = try ParameterValues.integer("ValidityPeriod", text, in: 1...36_000, context: " seconds")
        }
        do {
            let message = try await messages.create(new, account: account, logger: context.logger)
            sender.wake()
            return JSONResponse.make(MessageResource(message: message), status: .created)
        } catch let error as MessageError {
            switch error {
            case .fromNotOwned(let number), .fromNotSMSCapable(let number):
                throw APIError(
                    status: 400, code: 21606,
                    message: "The From phone number \(number) is not a valid, SMS-capable inbound phone number or short code for your account.")
            case .sameToAndFrom:
                throw APIError(status: 400, code: 21266, message: "'To' and 'From' number cannot be the same: \(to)")
            }
        }
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let query = context.query
        let page = try PageRequest(query: query)
        var filter = MessageRepository.ListFilter()
        filter.to = try query.first("To").map { try Self.number("To", $0) }
        filter.from = try query.first("From").map { try Self.number("From", $0) }
        if let text = query.first("DateSent") {
            let day = try Self.day("DateSent", text)
            filter.sentFrom = day
            filter.sentBefore = day.addingTimeInterval(86_400)
        }
        // `DateSent<` and `DateSent>` include the day they name, as Twilio's do.
        if let text = query.first("DateSent<") { filter.sentBefore = try Self.day("DateSent<", text).addingTimeInterval(86_400) }
        if let text = query.first("DateSent>") { filter.sentFrom = try Self.day("DateSent>", text) }
        let rows = try await messages.list(account: account, filter: filter, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "messages", page: rows, request: page, path: API2010.uri("/Accounts/\(account)/Messages.json"),
            filters: query.selecting(["To", "From", "DateSent", "DateSent<", "DateSent>"]), style: .api2010
        ) { MessageResource(message: $0) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let sid = try context.sid("Sid", prefix: .message, path: request.uri.path)
        guard let message = try await messages.find(sid, account: account, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return JSONResponse.make(MessageResource(message: message))
    }

    /// Deletes a message once it reached its final status; one still on its way is a 409.
    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let sid = try context.sid("Sid", prefix: .message, path: request.uri.path)
        switch try await messages.delete(sid, account: account, logger: context.logger) {
        case nil: throw APIError.notFound(request.uri.path)
        case false?: throw APIError(status: 409, code: 20409, message: "Message \(sid) is still being sent; delete it once it is final")
        case true?: return Response(status: .noContent)
        }
    }

    /// A number as the list filters take it (E.164; the usual separators allowed).
    private static func number(_ name: String, _ text: String) throws -> String {
        guard let number = PhoneNumber(lenient: text) else { throw APIError.invalidParameter(name, "must be an E.164 number") }
        return number.e164
    }

    /// The UTC day a `DateSent` filter names: `YYYY-MM-DD`, or a date-time on that day.
    private static func day(_ name: String, _ text: String) throws -> Date {
        let date = try ParameterValues.date(name, text)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.startOfDay(for: date)
    }
}
