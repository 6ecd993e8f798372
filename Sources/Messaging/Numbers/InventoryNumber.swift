/// A carrier number the operator holds, as `parley numbers import` loads it: available for accounts to buy
/// until one does.
public struct InventoryNumber: Sendable, Equatable {
    public var phoneNumber: PhoneNumber
    /// ISO 3166-1 alpha-2, upper case.
    public var isoCountry: String
    public var type: NumberType
    public var capabilities: NumberCapabilities
    public var region: String?
    public var locality: String?
    public var postalCode: String?
    /// The carrier connection that carries the number's traffic (`sandbox`, or a configured SMPP connection).
    public var connection: String
    /// The most SMS segments a second the number sends; more wait in its queue.
    public var segmentsPerSecond: Double

    public init(
        phoneNumber: PhoneNumber, isoCountry: String, type: NumberType, capabilities: NumberCapabilities,
        region: String? = nil, locality: String? = nil, postalCode: String? = nil, connection: String,
        segmentsPerSecond: Double? = nil
    ) {
        self.phoneNumber = phoneNumber
        self.isoCountry = isoCountry
        self.type = type
        self.capabilities = capabilities
        self.region = region
        self.locality = locality
        self.postalCode = postalCode
        self.connection = connection
        self.segmentsPerSecond = segmentsPerSecond ?? type.defaultSegmentsPerSecond
    }
}

/// The kinds of number Twilio searches separately (`AvailablePhoneNumbers/{Country}/Local|TollFree|Mobile`).
public enum NumberType: String, Sendable, CaseIterable {
    case local
    case tollFree = "toll-free"
    case mobile

    /// The search subresource's name: `Local`, `TollFree`, `Mobile`.
    public var subresource: String {
        switch self {
        case .local: "Local"
        case .tollFree: "TollFree"
        case .mobile: "Mobile"
        }
    }

    /// Carriers' usual limit: 1 segment a second on a long code (local, mobile), 3 on toll-free.
    public var defaultSegmentsPerSecond: Double { self == .tollFree ? 3 : 1 }

    public init?(subresource: some StringProtocol) {
        guard let type = Self.allCases.first(where: { $0.subresource == subresource }) else { return nil }
        self = type
    }
}

/// What a number can do.
public struct NumberCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let voice = NumberCapabilities(rawValue: 1 << 0)
    public static let sms = NumberCapabilities(rawValue: 1 << 1)
    public static let mms = NumberCapabilities(rawValue: 1 << 2)

    /// The names as the inventory file and the database write them.
    public static let names: [(String, NumberCapabilities)] = [("voice", .voice), ("sms", .sms), ("mms", .mms)]

    /// `voice;sms` (also `|`, `,` or spaces between names); nil when a name is unknown.
    public init?(names text: some StringProtocol) {
        var capabilities: NumberCapabilities = []
        for name in text.lowercased().split(whereSeparator: { ";|, ".contains($0) }) {
            guard let (_, capability) = Self.names.first(where: { $0.0 == name }) else { return nil }
            capabilities.insert(capability)
        }
        self = capabilities
    }
}
