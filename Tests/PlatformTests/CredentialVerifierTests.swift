import Foundation
import Platform
import PostgresNIO
import TestSupport
import Testing

@Suite struct CredentialVerifierTests {
    let logger = TestDatabase.logger

    struct Setup {
        let accounts: AccountRepository
        let keys: APIKeyRepository
        let main: Account
        let sub: Account
        let key: APIKey
        let keySecret: String
    }

    static func setUp(_ database: Database) async throws -> Setup {
        let logger = TestDatabase.logger
        let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
        let keys = APIKeyRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
        let main = try await accounts.create(parent: nil, friendlyName: "Main", logger: logger)
        let sub = try await accounts.create(parent: main.sid, friendlyName: "Sub", logger: logger)
        let (key, secret) = try await keys.create(account: main.sid, friendlyName: nil, logger: logger)
        return Setup(accounts: accounts, keys: keys, main: main, sub: sub, key: key, keySecret: secret)
    }

    /// The error `verify` throws, or `nil` when it accepts.
    static func failure(_ verifier: CredentialVerifier, _ username: String, _ password: String) async -> APIError? {
        do {
            _ = try await verifier.verify(username: username, password: password, logger: TestDatabase.logger)
            return nil
        } catch let error as APIError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return .internalError
        }
    }

    @Test func accountTokensAndKeySecretsVerify() async throws {
        try await TestDatabase.withFresh { database in
            let s = try await Self.setUp(database)
            let verifier = CredentialVerifier(database: database, secrets: Fixtures.secrets)
            for _ in 0..<2 {  // the second round is answered from the cache
                #expect(try await verifier.verify(username: s.main.sid.rawValue, password: s.main.authToken, logger: logger)
                    == Principal(accountSid: s.main.sid, parentSid: nil, credentialSid: s.main.sid))
                let subPrincipal = try await verifier.verify(username: s.sub.sid.rawValue, password: s.sub.authToken, logger: logger)
                #expect(subPrincipal == Principal(accountSid: s.sub.sid, parentSid: s.main.sid, credentialSid: s.sub.sid))
                #expect(subPrincipal.isSubaccount)
                #expect(try await verifier.verify(username: s.key.sid.rawValue, password: s.keySecret, logger: logger)
                    == Principal(accountSid: s.main.sid, parentSid: nil, credentialSid: s.key.sid))
            }
            // Upper-case hex in the username names the same account.
            let upper = "AC" + s.main.sid.rawValue.dropFirst(2).uppercased()
            #expect(try await verifier.verify(username: upper, password: s.main.authToken, logger: logger).accountSid == s.main.sid)
        }
    }

    @Test func wrongCredentialsFailAuthentication() async throws {
        try await TestDatabase.withFresh { database in
            let s = try await Self.setUp(database)
            let verifier = CredentialVerifier(database: database, secrets: Fixtures.secrets)
            // Cache a success first: a cached entry must not let other passwords through.
            _ = try await verifier.verify(username: s.main.sid.rawValue, password: s.main.authToken, logger: logger)
            _ = try await verifier.verify(username: s.key.sid.rawValue, password: s.keySecret, logger: logger)
            let cases: [(String, String)] = [
                (s.main.sid.rawValue, String(repeating: "0", count: 32)),
                (s.main.sid.rawValue, ""),
                (s.main.sid.rawValue, s.main.authToken.uppercased()),
                (s.main.sid.rawValue, s.main.authToken + "0"),
                (s.main.sid.rawValue, s.keySecret),  // a key's secret is not the account's token
                (s.main.sid.rawValue, s.sub.authToken),
                (s.sub.sid.rawValue, s.main.authToken),  // nor is the parent's token the subaccount's
                (s.key.sid.rawValue, s.main.authToken),
                (s.key.sid.rawValue, String(s.keySecret.dropLast())),
                (SID.generate(.account).rawValue, s.main.authToken),
                (SID.generate(.apiKey).rawValue, s.keySecret),
                ("RQ" + s.main.sid.rawValue.dropFirst(2), s.main.authToken),  // a SID, but not a credential's
                ("admin", s.main.authToken),
                ("", ""),
                (String(s.main.sid.rawValue.dropLast()), s.main.authToken),
                (s.main.sid.rawValue.lowercased(), s.main.authToken),  // "ac…": lower-case prefix
            ]
            for (username, password) in cases {
                #expect(await Self.failure(verifier, username, password) == .authenticationFailed, "\(username):\(password)")
            }
        }
    }

    @Test func inactiveAccountsAreRefused() async throws {
        try await TestDatabase.withFresh { database in
            let s = try await Self.setUp(database)
            let other = try await s.accounts.create(parent: nil, friendlyName: "Other", logger: logger)
            let verifier = CredentialVerifier(database: database, secrets: Fixtures.secrets)
            _ = try await s.accounts.update(s.main.sid, visibleTo: s.main.sid, friendlyName: nil, status: .suspended, logger: logger)
            _ = try await s.accounts.update(other.sid, visibleTo: other.sid, friendlyName: nil, status: .closed, logger: logger)

            #expect(await Self.failure(verifier, s.main.sid.rawValue, s.main.authToken) == .accountNotActive)
            #expect(await Self.failure(verifier, s.key.sid.rawValue, s.keySecret) == .accountNotActive)
            // An active subaccount of a suspended parent is refused too.
            #expect(await Self.failure(verifier, s.sub.sid.rawValue, s.sub.authToken) == .accountNotActive)
            #expect(await Self.failure(verifier, other.sid.rawValue, other.authToken) == .accountNotActive)
            // Without the right password the status is not revealed.
            #expect(await Self.failure(verifier, s.main.sid.rawValue, String(repeating: "0", count: 32)) == .authenticationFailed)

            _ = try await s.accounts.update(s.main.sid, visibleTo: s.main.sid, friendlyName: nil, status: .active, logger: logger)
            _ = try await s.accounts.update(s.sub.sid, visibleTo: s.main.sid, friendlyName: nil, status: .suspended, logger: logger)
            #expect(await Self.failure(verifier, s.main.sid.rawValue, s.main.authToken) == nil)
            #expect(await Self.failure(verifier, s.sub.sid.rawValue, s.sub.authToken) == .accountNotActive)
        }
    }

    @Test func credentialsChangedTakesEffectAtOnce() async throws {
        try await TestDatabase.withFresh { database in
            let s = try await Self.setUp(database)
            let verifier = CredentialVerifier(database: database, secrets: Fixtures.secrets, timeToLive: .seconds(600))
            _ = try await verifier.verify(username: s.key.sid.rawValue, password: s.keySecret, logger: logger)
            _ = try await verifier.verify(username: s.sub.sid.rawValue, password: s.sub.authToken, logger: logger)

            #expect(try await s.keys.delete(s.key.sid, account: s.main.sid, logger: logger))
            // Until told, the verifier answers from its cache (that is what the notification is for).
            #expect(await Self.failure(verifier, s.key.sid.rawValue, s.keySecret) == nil)
            try await verifier.credentialsChanged(s.key.sid, logger: logger)
            #expect(await Self.failure(verifier, s.key.sid.rawValue, s.keySecret) == .authenticationFailed)

            // A change to a main account reaches its subaccounts' cached checks.
            _ = try await s.accounts.update(s.main.sid, visibleTo: s.main.sid, friendlyName: nil, status: .suspended, logger: logger)
            try await verifier.credentialsChanged(s.main.sid, logger: logger)
            #expect(await Self.failure(verifier, s.sub.sid.rawValue, s.sub.authToken) == .accountNotActive)
        }
    }

    @Test func accountChangeForgetsItsKeys() async throws {
        try await TestDatabase.withFresh { database in
            let s = try await Self.setUp(database)
            let verifier = CredentialVerifier(database: database, secrets: Fixtures.secrets, timeToLive: .seconds(600))
            _ = try await verifier.verify(username: s.key.sid.rawValue, password: s.keySecret, logger: logger)
            _ = try await s.accounts.update(s.main.sid, visibleTo: s.main.sid, friendlyName: nil, status: .suspended, logger: logger)
            try await verifier.credentialsChanged(s.main.sid, logger: logger)
            #expect(await Self.failure(verifier, s.key.sid.rawValue, s.keySecret) == .accountNotActive)
        }
    }

    @Test func zeroTimeToLiveAlwaysAsksTheDatabase() async throws {
        try await TestDatabase.withFresh { database in
            let s = try await Self.setUp(database)
            let verifier = CredentialVerifier(database: database, secrets: Fixtures.secrets, timeToLive: .zero)
            #expect(await Self.failure(verifier, s.key.sid.rawValue, s.keySecret) == nil)
            #expect(try await s.keys.delete(s.key.sid, account: s.main.sid, logger: logger))
            #expect(await Self.failure(verifier, s.key.sid.rawValue, s.keySecret) == .authenticationFailed)
        }
    }

    /// Two gateways: the second hears the first's `credentialsChanged` through `NOTIFY`.
    @Test func changesReachOtherVerifiersThroughNotifications() async throws {
        try await TestDatabase.withFresh { database in
            let s = try await Self.setUp(database)
            try await Database.withTemporaryPool(endpoint: database.endpoint, logger: logger) { otherPool in
                let first = CredentialVerifier(database: database, secrets: Fixtures.secrets, timeToLive: .seconds(600))
                let second = CredentialVerifier(database: otherPool, secrets: Fixtures.secrets, timeToLive: .seconds(600))
                let listener = NotificationListener(endpoint: database.endpoint, logger: logger)
                second.listen(with: listener)
                let (connected, signal) = AsyncStream.makeStream(of: Void.self)
                listener.onResynchronize { signal.yield() }

                // Cached before the listener connects: connecting must drop it (notifications may have been missed).
                let sub = s.sub
                _ = try await second.verify(username: sub.sid.rawValue, password: sub.authToken, logger: logger)
                _ = try await s.accounts.update(sub.sid, visibleTo: sub.sid, friendlyName: nil, status: .suspended, logger: logger)
                #expect(await Self.failure(second, sub.sid.rawValue, sub.authToken) == nil)

                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await listener.run() }
                    defer { group.cancelAll() }
                    try await withTimeout(.seconds(20), "the listener connecting") {
                        for await _ in connected { return }
                    }
                    #expect(await Self.failure(second, sub.sid.rawValue, sub.authToken) == .accountNotActive)

                    // A change made and announced by the first gateway.
                    _ = try await second.verify(username: s.key.sid.rawValue, password: s.keySecret, logger: logger)
                    #expect(try await s.keys.delete(s.key.sid, account: s.main.sid, logger: logger))
                    #expect(await Self.failure(second, s.key.sid.rawValue, s.keySecret) == nil)  // still cached
                    try await first.credentialsChanged(s.key.sid, logger: logger)
                    let forgot = await eventually(timeout: .seconds(5)) {
                        await Self.failure(second, s.key.sid.rawValue, s.keySecret) == .authenticationFailed
                    }
                    #expect(forgot, "the second verifier still accepts a deleted key")

                    // Payloads that are not SIDs are ignored; the listener keeps working.
                    _ = try await second.verify(username: s.main.sid.rawValue, password: s.main.authToken, logger: logger)
                    try await database.query("SELECT pg_notify(\(CredentialVerifier.notificationChannel), 'garbage')", logger: logger)
                    _ = try await s.accounts.update(s.main.sid, visibleTo: s.main.sid, friendlyName: nil, status: .suspended, logger: logger)
                    try await first.credentialsChanged(s.main.sid, logger: logger)
                    let forgotAccount = await eventually(timeout: .seconds(5)) {
                        await Self.failure(second, s.main.sid.rawValue, s.main.authToken) == .accountNotActive
                    }
                    #expect(forgotAccount)
                }
            }
        }
    }
}
