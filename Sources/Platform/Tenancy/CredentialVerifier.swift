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
        guard let stored = try await StoredCredential.lookUp(sid, in: database, logger: logger),
            ConstantTime.equals(try stored.openSecret(with: secrets).utf8, password.utf8)
        else { throw APIError.authenticationFailed }
        guard stored.isActive else { throw APIError.accountNotActive }
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
}
