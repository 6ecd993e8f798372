import Foundation
import Logging

/// Creates the owner account on a database that has none.
public enum OwnerAccount {
    public static let sidVariable = "PARLEY_ACCOUNT_SID"
    public static let tokenVariable = "PARLEY_AUTH_TOKEN"
    static let advisoryLockKey: Int64 = 0x70_61_72_6c_65_79_01

    public enum Outcome: Sendable {
        /// Accounts already existed; nothing was done.
        case existing
        /// The owner account was created from `PARLEY_ACCOUNT_SID` / `PARLEY_AUTH_TOKEN`.
        case createdFromEnvironment(Account)
        /// The owner account was created with generated credentials, saved to `credentialsFile`.
        case generated(Account, credentialsFile: URL)
    }

    /// Creates the owner account unless an account exists. Safe when several gateways start together.
    public static func ensure(
        accounts: AccountRepository, environment: [String: String], credentialsFile: URL, logger: Logger
    ) async throws -> Outcome {
        let configured = try configuredCredentials(environment)
        return try await accounts.database.withAdvisoryLock(advisoryLockKey, logger: logger) { _ in
            guard try await accounts.count(logger: logger) == 0 else { return .existing }
            if let configured {
                let account = try await accounts.create(
                    parent: nil, friendlyName: "Owner", sid: configured.sid, authToken: configured.token, logger: logger)
                return .createdFromEnvironment(account)
            }
            // Save the credentials before the account exists, so a failure leaves no account whose token nobody has.
            let sid = SID.generate(.account)
            let token = RandomToken.hex(byteCount: 16)
            try PrivateFile.write(credentialsFileContents(sid: sid, token: token), to: credentialsFile)
            do {
                let account = try await accounts.create(parent: nil, friendlyName: "Owner", sid: sid, authToken: token, logger: logger)
                return .generated(account, credentialsFile: credentialsFile)
            } catch {
                try? FileManager.default.removeItem(at: credentialsFile)
                throw error
            }
        }
    }

    /// `PARLEY_ACCOUNT_SID` and `PARLEY_AUTH_TOKEN`, validated, when both are set.
    public static func configuredCredentials(_ environment: [String: String]) throws -> (sid: SID, token: String)? {
        let sidText = environment[sidVariable].flatMap { $0.isEmpty ? nil : $0 }
        let token = environment[tokenVariable].flatMap { $0.isEmpty ? nil : $0 }
        switch (sidText, token) {
        case (nil, nil):
            return nil
        case (let sidText?, let token?):
            guard sidText.utf8.count == 34, sidText == sidText.prefix(2) + sidText.dropFirst(2).lowercased(),
                let sid = SID(sidText, prefix: .account)
            else { throw OwnerAccountError.invalid("\(sidVariable) must be AC followed by 32 lowercase hex digits") }
            guard token.utf8.count == 32, token.utf8.allSatisfy(\.isHexDigit) else {
                throw OwnerAccountError.invalid("\(tokenVariable) must be 32 hex digits")
            }
            return (sid, token)
        default:
            throw OwnerAccountError.invalid("set both \(sidVariable) and \(tokenVariable), or neither")
        }
    }

    /// The credentials file: shell-style assignments, so it can be sourced.
    public static func credentialsFileContents(sid: SID, token: String) -> String {
        "\(sidVariable)=\(sid)\n\(tokenVariable)=\(token)\n"
    }
}

public enum OwnerAccountError: Error, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self { case .invalid(let reason): reason }
    }
}
