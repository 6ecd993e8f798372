import Foundation

/// A tenant. Main accounts have no parent; a subaccount belongs to exactly one main account,
/// whose credentials may act on it.
public struct Account: Sendable, Equatable {
    public var sid: SID
    public var parentSid: SID?
    public var friendlyName: String
    public var status: AccountStatus
    public var authToken: String
    public var dateCreated: Date
    public var dateUpdated: Date

    /// Twilio's `owner_account_sid`: the parent, or the account itself for a main account.
    public var ownerAccountSid: SID { parentSid ?? sid }
}

public enum AccountStatus: String, Sendable, CaseIterable {
    case active, suspended, closed
}

/// Who is calling: the account whose credentials (auth token or API key) authenticated the request.
public struct Principal: Sendable, Equatable {
    /// The account the credentials belong to.
    public var accountSid: SID
    /// Its parent, when the account is a subaccount.
    public var parentSid: SID?
    /// The SID in the username: the account itself or an API key.
    public var credentialSid: SID

    public init(accountSid: SID, parentSid: SID?, credentialSid: SID) {
        self.accountSid = accountSid
        self.parentSid = parentSid
        self.credentialSid = credentialSid
    }

    public var isSubaccount: Bool { parentSid != nil }
}

/// Limits shared by the tenancy resources.
public enum FriendlyName {
    public static let maximumLength = 64

    /// Validates an optional FriendlyName parameter.
    public static func validate(_ name: String?) throws -> String? {
        guard let name else { return nil }
        guard name.count <= maximumLength else { throw APIError.invalidFriendlyName(maximumLength: maximumLength) }
        return name
    }
}
