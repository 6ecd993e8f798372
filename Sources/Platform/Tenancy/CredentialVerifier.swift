import Crypto
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Checks HTTP Basic credentials (`AccountSid:AuthToken` or `KeySid:Secret`) and remembers
/// successful checks briefly, so most requests need no database round trip for authentication.
///
/// The cache holds a SHA-256 digest of the password, never the password. It is dropped for an
/// account or key the moment its credentials change in this process (``credentialsChanged(_:logger:)``),
/// and in every other gateway through `NOTIFY parley_credentials` (see ``listen(with:)``).
public final class CredentialVerifier: Sendable {
    public static let notificationChannel = "parley_credentials"

    private struct Entry {
        var passwordDigest: SHA256.Digest
        var principal: Principal
        var expires: ContinuousClock.Instant
    }

    private let database: Database
    private let secrets: SecretBox
    private let timeToLive: Duration
    /// Cached checks, and a counter bumped by every invalidation: a check that read the database
    /// before an invalidation must not be cached after it.
    private let cache = Mutex<(entries: [String: Entry], generation: UInt64)>(([:], 0))

    public init(database: Database, secrets: SecretBox, timeToLive: Duration = .seconds(30)) {
        self.database = database
        self.secrets = secrets
        self.timeToLive = timeToLive
    }

    /// The principal for these credentials, or ``APIError/authenticationFailed`` /
    /// ``APIError/accountNotActive``.
    public func verify(username: String, password: String, logger: Logger) async throws -> Principal {
        guard let sid = SID(username), sid.prefix == .account || sid.prefix == .apiKey else {
            throw APIError.authenticationFailed
        }
        let digest = SHA256.hash(data: Data(password.utf8))
        let now = ContinuousClock.now
        let (cached, generation) = cache.withLock { ($0.entries[sid.rawValue], $0.generation) }
        if let cached, cached.expires > now, ConstantTime.equals(cached.passwordDigest, digest) {
            return cached.principal
        }
        guard let stored = try await lookUp(sid, logger: logger),
            ConstantTime.equals(Data(try secrets.open(stored.sealedSecret, context: sid.rawValue).utf8), Data(password.utf8))
        else { throw APIError.authenticationFailed }
        guard stored.accountActive, stored.parentActive ?? true else { throw APIError.accountNotActive }
        let principal = Principal(accountSid: stored.account, parentSid: stored.parent, credentialSid: sid)
        cache.withLock { cache in
            guard cache.generation == generation else { return }
            if cache.entries.count > 10_000 { cache.entries = cache.entries.filter { $0.value.expires > now } }
            cache.entries[sid.rawValue] = Entry(passwordDigest: digest, principal: principal, expires: now + timeToLive)
        }
        return principal
    }

    /// Forgets cached checks involving `sid` (an account, its subaccounts' parent, or a key) here,
    /// and tells every other gateway to do the same.
    public func credentialsChanged(_ sid: SID, logger: Logger) async throws {
        forget(sid)
        try await database.query("SELECT pg_notify(\(Self.notificationChannel), \(sid.rawValue))", logger: logger)
    }

    /// Subscribes this verifier to other gateways' changes.
    public func listen(with listener: NotificationListener) {
        listener.on(Self.notificationChannel) { [weak self] payload in
            if let sid = SID(payload) { self?.forget(sid) }
        }
        listener.onResynchronize { [weak self] in
            self?.cache.withLock { cache in
                cache.entries.removeAll()
                cache.generation &+= 1
            }
        }
    }

    private func forget(_ sid: SID) {
        cache.withLock { cache in
            cache.entries = cache.entries.filter { username, entry in
                username != sid.rawValue && entry.principal.accountSid != sid && entry.principal.parentSid != sid
            }
            cache.generation &+= 1
        }
    }

    private struct StoredCredential {
        var sealedSecret: Data
        var account: SID
        var parent: SID?
        var accountActive: Bool
        var parentActive: Bool?
    }

    private func lookUp(_ sid: SID, logger: Logger) async throws -> StoredCredential? {
        let rows =
            sid.prefix == .account
            ? try await database.execute(AccountCredential(parameters: [sid.rawValue]), logger: logger)
            : try await database.execute(KeyCredential(parameters: [sid.rawValue]), logger: logger)
        guard let row = rows.first else { return nil }
        let (sealed, account, parent, status, parentStatus) = try row.decode((Data, String, String?, String, String?).self)
        guard let accountSid = SID(account) else { throw CorruptRowError(table: "accounts", key: account) }
        return StoredCredential(
            sealedSecret: sealed, account: accountSid, parent: parent.flatMap { SID($0) },
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
