import Hummingbird
import Messaging
import Platform

/// API 2010 IncomingPhoneNumbers: buying numbers from the inventory, configuring and releasing them.
struct IncomingPhoneNumbersController: Sendable {
    let accounts: AccountRepository
    let numbers: IncomingPhoneNumberRepository
    let egress: EgressHTTPClient

    func register(on routes: RouteRegistrar) {
        routes.post(API2010.route("/Accounts/{AccountSid}/IncomingPhoneNumbers.json"), create)
        routes.get(API2010.route("/Accounts/{AccountSid}/IncomingPhoneNumbers.json")) { try await list(nil, $0, $1) }
        // Twilio's per-type paths: create buys the same way (the type comes from the inventory), list keeps that type.
        for type in NumberType.allCases {
            routes.post(API2010.route("/Accounts/{AccountSid}/IncomingPhoneNumbers/\(type.subresource).json"), create)
            routes.get(API2010.route("/Accounts/{AccountSid}/IncomingPhoneNumbers/\(type.subresource).json")) { try await list(type, $0, $1) }
        }
        routes.get(API2010.route("/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json"), fetch)
        routes.post(API2010.route("/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json"), update)
        routes.delete(API2010.route("/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json"), delete)
    }

    /// Buys `PhoneNumber`, or some number in `AreaCode`, with the configuration given.
    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let form = context.form
        let change = try await numberUpdate(form)
        let configuration = change.applied(to: NumberConfiguration())
        do {
            let number: IncomingPhoneNumber
            if let text = form.first("PhoneNumber") {
                guard let phoneNumber = PhoneNumber(lenient: text) else {
                    throw APIError(status: 400, code: 21421, message: "PhoneNumber \(text) is invalid: use E.164, such as +14155551212")
                }
                number = try await numbers.buy(
                    phoneNumber, account: account, friendlyName: change.friendlyName, configuration: configuration, logger: context.logger)
            } else if let areaCode = form.first("AreaCode") {
                guard areaCode.count == 3, areaCode.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw APIError.invalidParameter("AreaCode", "must be a three-digit US or Canadian area code")
                }
                number = try await numbers.buy(
                    areaCode: areaCode, account: account, friendlyName: change.friendlyName, configuration: configuration, logger: context.logger)
            } else {
                throw APIError.invalidParameter("PhoneNumber", "PhoneNumber or AreaCode is required")
            }
            return JSONResponse.make(IncomingPhoneNumberResource(number: number), status: .created)
        } catch let error as NumberPurchaseError {
            switch error {
            case .notAvailable(let phoneNumber):
                throw APIError(status: 400, code: 21422, message: "PhoneNumber \(phoneNumber) is not available")
            case .noneInAreaCode(let areaCode):
                throw APIError(status: 400, code: 21452, message: "No phone numbers found in area code \(areaCode)")
            }
        }
    }

    func list(_ type: NumberType?, _ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let page = try PageRequest(query: context.query)
        var filter = IncomingPhoneNumberRepository.ListFilter()
        filter.type = type
        if let text = context.query.first("PhoneNumber") {
            guard let pattern = IncomingPhoneNumberRepository.ListFilter.pattern(forPartialNumber: text) else {
                throw APIError.invalidParameter("PhoneNumber", "may hold only digits, * (any digit) and a leading +")
            }
            filter.phoneNumberPattern = pattern
        }
        filter.friendlyName = context.query.first("FriendlyName")
        let rows = try await numbers.list(account: account, filter: filter, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "incoming_phone_numbers", page: rows, request: page,
            path: API2010.uri("/Accounts/\(account)/IncomingPhoneNumbers\(type.map { "/" + $0.subresource } ?? "").json"),
            filters: context.query.selecting(["PhoneNumber", "FriendlyName"]), style: .api2010) { IncomingPhoneNumberResource(number: $0) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let sid = try context.sid("Sid", prefix: .phoneNumber, path: request.uri.path)
        guard let number = try await numbers.find(sid, account: account, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return JSONResponse.make(IncomingPhoneNumberResource(number: number))
    }

    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let sid = try context.sid("Sid", prefix: .phoneNumber, path: request.uri.path)
        // Moving a number to another account (`AccountSid`) is not offered.
        if let target = context.form.first("AccountSid"), target != account.rawValue {
            throw APIError.invalidParameter("AccountSid", "numbers cannot be moved between accounts")
        }
        let change = try await numberUpdate(context.form)
        guard let number = try await numbers.update(sid, account: account, change, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return JSONResponse.make(IncomingPhoneNumberResource(number: number))
    }

    /// Releases the number to the inventory, where anyone may buy it again.
    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let sid = try context.sid("Sid", prefix: .phoneNumber, path: request.uri.path)
        guard try await numbers.release(sid, account: account, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return Response(status: .noContent)
    }

    /// The configuration parameters of create and update; URLs pass the egress guard (an empty one clears).
    private func numberUpdate(_ form: FormParameters) async throws -> NumberUpdate {
        var change = NumberUpdate()
        change.friendlyName = try FriendlyName.validate(form.first("FriendlyName"))
        func url(_ name: String) async throws -> String? {
            guard let url = form.first(name) else { return nil }
            if !url.isEmpty { try await egress.checkParameter(name, url: url) }
            return url
        }
        change.smsURL = try await url("SmsUrl")
        change.smsFallbackURL = try await url("SmsFallbackUrl")
        change.voiceURL = try await url("VoiceUrl")
        change.voiceFallbackURL = try await url("VoiceFallbackUrl")
        change.statusCallback = try await url("StatusCallback")
        change.smsMethod = try form.deliveryMethod("SmsMethod")
        change.smsFallbackMethod = try form.deliveryMethod("SmsFallbackMethod")
        change.voiceMethod = try form.deliveryMethod("VoiceMethod")
        change.voiceFallbackMethod = try form.deliveryMethod("VoiceFallbackMethod")
        change.statusCallbackMethod = try form.deliveryMethod("StatusCallbackMethod")
        return change
    }
}
