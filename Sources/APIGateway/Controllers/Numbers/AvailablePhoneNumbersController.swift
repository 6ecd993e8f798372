import Hummingbird
import Messaging
import Platform

/// API 2010 AvailablePhoneNumbers: the countries with numbers to buy, and Twilio's searches of the inventory.
struct AvailablePhoneNumbersController: Sendable {
    let accounts: AccountRepository
    let inventory: NumberInventoryRepository

    func register(on routes: RouteRegistrar) {
        routes.get(API2010.route("/Accounts/{AccountSid}/AvailablePhoneNumbers.json"), countries)
        routes.get(API2010.route("/Accounts/{AccountSid}/AvailablePhoneNumbers/{CountryCode}.json"), country)
        for type in NumberType.allCases {
            routes.get(API2010.route("/Accounts/{AccountSid}/AvailablePhoneNumbers/{CountryCode}/\(type.subresource).json")) {
                try await search(type, $0, $1)
            }
        }
    }

    @Sendable func countries(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let countries = try await inventory.availableCountries(logger: context.logger)
        return JSONResponse.make(CountryList(
            countries: countries.map { AvailableCountryResource(account: account, country: $0.country, types: $0.types) },
            uri: API2010.uri("/Accounts/\(account)/AvailablePhoneNumbers.json")))
    }

    @Sendable func country(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let code = try countryCode(request, context)
        guard let found = try await inventory.availableCountries(logger: context.logger).first(where: { $0.country == code }) else {
            throw APIError.notFound(request.uri.path)
        }
        return JSONResponse.make(AvailableCountryResource(account: account, country: found.country, types: found.types))
    }

    func search(_ type: NumberType, _ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let account = try await accounts.accountInPath(request, context)
        let code = try countryCode(request, context)
        let query = context.query
        var filter = NumberInventoryRepository.SearchFilter()
        if let areaCode = query.first("AreaCode") {
            guard areaCode.count == 3, areaCode.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw APIError.invalidParameter("AreaCode", "must be a three-digit US or Canadian area code")
            }
            filter.areaCode = areaCode
        }
        if let contains = query.first("Contains") {
            do {
                filter.contains = try NumberPattern(contains)
            } catch {
                throw APIError.invalidParameter("Contains", error.description)
            }
        }
        filter.inRegion = query.first("InRegion")
        filter.inLocality = query.first("InLocality")
        filter.inPostalCode = query.first("InPostalCode")
        filter.smsEnabled = try query.boolean("SmsEnabled")
        filter.voiceEnabled = try query.boolean("VoiceEnabled")
        filter.mmsEnabled = try query.boolean("MmsEnabled")
        // Only PageSize: a search is one page, a sample of the matches (as Twilio's is), never a cursor through them.
        let pageRequest = try PageRequest(query: query.selecting(["PageSize"]))
        let numbers = try await inventory.available(country: code, type: type, filter: filter, limit: pageRequest.size, logger: context.logger)
        let path = API2010.uri("/Accounts/\(account)/AvailablePhoneNumbers/\(code)/\(type.subresource).json")
        let page = Page(items: numbers, firstSequence: nil, lastSequence: nil, hasMore: false)
        let envelope = ListEnvelope(
            key: "available_phone_numbers", page: page, request: pageRequest, path: path,
            filters: query.selecting(Self.filterNames), style: .api2010) { AvailableNumberResource(number: $0) }
        return JSONResponse.make(envelope)
    }

    /// The search parameters repeated in the envelope's links.
    private static let filterNames = [
        "AreaCode", "Contains", "InRegion", "InLocality", "InPostalCode", "SmsEnabled", "VoiceEnabled", "MmsEnabled",
    ]

    /// `{CountryCode}`: two letters (ISO 3166-1 alpha-2); anything else names nothing.
    private func countryCode(_ request: Request, _ context: GatewayRequestContext) throws -> String {
        guard let code = context.parameters.get("CountryCode"), code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw APIError.notFound(request.uri.path)
        }
        return code.uppercased()
    }
}

/// `{"countries": […], "uri": …}`: the country list is one page, as Twilio's is.
private struct CountryList: JSONRepresentable {
    let countries: [AvailableCountryResource]
    let uri: String

    func write(to json: inout JSONObjectWriter) {
        json.field("countries", objects: countries) { country, json in country.write(to: &json) }
        json.field("uri", uri)
    }
}
