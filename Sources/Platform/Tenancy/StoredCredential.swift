import Foundation
import Logging
import PostgresNIO

/// The sealed secret behind an account SID (its auth token) or an API key SID (the key's secret), with
/// the account it authenticates as and the statuses that decide whether it may. Shared by
/// ``CredentialVerifier`` (HTTP Basic) and ``AccessTokenVerifier`` (signed tokens).
struct StoredCredential {
    var sid: SID
    var sealedSecret: Data
    var account: SID
    var parent: SID?
    var accountActive: Bool
    var parentActive: Bool?

    /// The account is active, and so is its parent if it is a subaccount.
    var isActive: Bool { accountActive && parentActive ?? true }

    /// The plaintext secret; only for comparing or signing, never for logging.
    func openSecret(with secrets: SecretBox) throws -> String {
        try secrets.open(sealedSecret, context: sid.rawValue)
    }

    /// The credential of an account (`AC…`) or API key (`SK…`); `nil` when there is none (or `sid`
    /// names neither).
    static func lookUp(_ sid: SID, in database: Database, logger: Logger) async throws -> StoredCredential? {
        let rows: [PostgresRow]
        switch sid.prefix {
        case .account: rows = try await database.execute(AccountCredential(parameters: [sid.rawValue]), logger: logger)
        case .apiKey: rows = try await database.execute(KeyCredential(parameters: [sid.rawValue]), logger: logger)
        default: return nil
        }
        guard let row = rows.first else { return nil }
        let (sealed, account, parent, status, parentStatus) = try row.decode((Data, String, String?, String, String?).self)
        guard let accountSid = SID(account) else { throw CorruptRowError(table: "accounts", key: account) }
        return StoredCredential(
            sid: sid, sealedSecret: sealed, account: accountSid, parent: parent.flatMap { SID($0) },
            accountActive: status == AccountStatus.active.rawValue,
            parentActive: parentStatus.map { $0 == AccountStatus.active.rawValue })
    }

    /// An account's sealed auth token and the statuses that decide whether it may authenticate.
    private struct AccountCredential: TextParameterStatement {
        static let sql = """
            SELECT a.auth_token, a.sid, a.parent_sid, a.status, p.status
            FROM accounts a LEFT JOIN accounts p ON p.sid = a.parent_sid
            WHERE a.sid = $1
            """
        let parameters: [String]
    }

    /// A key's sealed secret, its account and the statuses that decide whether it may authenticate.
    private struct KeyCredential: TextParameterStatement {
        static let sql = """
            SELECT k.secret, a.sid, a.parent_sid, a.status, p.status
            FROM api_keys k JOIN accounts a ON a.sid = k.account_sid LEFT JOIN accounts p ON p.sid = a.parent_sid
            WHERE k.sid = $1
            """
        let parameters: [String]
    }
}
