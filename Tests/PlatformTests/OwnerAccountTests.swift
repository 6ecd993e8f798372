import Foundation
import Platform
import PostgresNIO
import TestSupport
import Testing

@Suite struct OwnerAccountTests {
    let logger = TestDatabase.logger
    static let sid = "AC0123456789abcdef0123456789abcdef"
    static let token = "fedcba9876543210fedcba9876543210"

    static let invalidEnvironments: [[String: String]] = [
        [OwnerAccount.sidVariable: sid],
        [OwnerAccount.tokenVariable: token],
        [OwnerAccount.sidVariable: sid, OwnerAccount.tokenVariable: ""],
        [OwnerAccount.sidVariable: "", OwnerAccount.tokenVariable: token],
        [OwnerAccount.sidVariable: "AC0123456789ABCDEF0123456789ABCDEF", OwnerAccount.tokenVariable: token],
        [OwnerAccount.sidVariable: "SK0123456789abcdef0123456789abcdef", OwnerAccount.tokenVariable: token],
        [OwnerAccount.sidVariable: "ac0123456789abcdef0123456789abcdef", OwnerAccount.tokenVariable: token],
        [OwnerAccount.sidVariable: "AC0123456789abcdef0123456789abcde", OwnerAccount.tokenVariable: token],
        [OwnerAccount.sidVariable: "AC0123456789abcdef0123456789abcdeg", OwnerAccount.tokenVariable: token],
        [OwnerAccount.sidVariable: sid, OwnerAccount.tokenVariable: "short"],
        [OwnerAccount.sidVariable: sid, OwnerAccount.tokenVariable: token + "0"],
        [OwnerAccount.sidVariable: sid, OwnerAccount.tokenVariable: "zedcba9876543210fedcba9876543210"],
    ]

    @Test(arguments: invalidEnvironments)
    func invalidEnvironmentIsRejectedBeforeAnythingIsCreated(_ environment: [String: String]) async throws {
        try await TestDatabase.withFresh { database in
            try await withTemporaryDirectory { (directory) async throws in
                let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
                let file = directory.appendingPathComponent("credentials")
                await #expect(throws: OwnerAccountError.self) {
                    try await OwnerAccount.ensure(accounts: accounts, environment: environment, credentialsFile: file, logger: logger)
                }
                #expect(try await accounts.count(logger: logger) == 0)
                #expect(!FileManager.default.fileExists(atPath: file.path))
            }
        }
    }

    @Test func validEnvironmentCreatesThatAccount() async throws {
        try await TestDatabase.withFresh { database in
            try await withTemporaryDirectory { directory in
                let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
                let file = directory.appendingPathComponent("credentials")
                let environment = [OwnerAccount.sidVariable: Self.sid, OwnerAccount.tokenVariable: Self.token, "OTHER": "x"]
                let outcome = try await OwnerAccount.ensure(accounts: accounts, environment: environment, credentialsFile: file, logger: logger)
                guard case .createdFromEnvironment(let account) = outcome else {
                    Issue.record("expected .createdFromEnvironment, got \(outcome)")
                    return
                }
                #expect(account.sid.rawValue == Self.sid)
                #expect(account.authToken == Self.token)
                #expect(account.parentSid == nil)
                #expect(account.status == .active)
                #expect(try await accounts.find(account.sid, visibleTo: account.sid, logger: logger) == account)
                // Credentials from the environment are not written anywhere.
                #expect(!FileManager.default.fileExists(atPath: file.path))

                let verifier = CredentialVerifier(database: database, secrets: Fixtures.secrets)
                #expect(try await verifier.verify(username: Self.sid, password: Self.token, logger: logger).accountSid == account.sid)
            }
        }
    }

    @Test func withoutEnvironmentCredentialsAreGeneratedAndSaved() async throws {
        try await TestDatabase.withFresh { database in
            try await withTemporaryDirectory { directory in
                let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
                let file = directory.appendingPathComponent("new/dir/credentials")
                let outcome = try await OwnerAccount.ensure(
                    accounts: accounts, environment: [OwnerAccount.sidVariable: "", OwnerAccount.tokenVariable: ""],
                    credentialsFile: file, logger: logger)
                guard case .generated(let account, let written) = outcome else {
                    Issue.record("expected .generated, got \(outcome)")
                    return
                }
                #expect(written == file)
                #expect(try posixPermissions(of: file) & 0o777 == 0o600)
                let contents = try String(contentsOf: file, encoding: .utf8)
                #expect(contents == "PARLEY_ACCOUNT_SID=\(account.sid)\nPARLEY_AUTH_TOKEN=\(account.authToken)\n")
                #expect(contents == OwnerAccount.credentialsFileContents(sid: account.sid, token: account.authToken))
                #expect(try await accounts.count(logger: logger) == 1)

                let verifier = CredentialVerifier(database: database, secrets: Fixtures.secrets)
                #expect(try await verifier.verify(username: account.sid.rawValue, password: account.authToken, logger: logger).accountSid == account.sid)
            }
        }
    }

    /// When the generated credentials cannot be saved, the owner account must not be left behind:
    /// every later start would report `.existing` and nobody would ever learn its auth token.
    @Test func unwritableCredentialsFileLeavesNoAccountBehind() async throws {
        try await TestDatabase.withFresh { database in
            try await withTemporaryDirectory { directory in
                let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
                let blocker = directory.appendingPathComponent("not-a-directory")
                try "".write(to: blocker, atomically: true, encoding: .utf8)
                await #expect(throws: (any Error).self) {
                    try await OwnerAccount.ensure(
                        accounts: accounts, environment: [:], credentialsFile: blocker.appendingPathComponent("credentials"),
                        logger: logger)
                }
                #expect(try await accounts.count(logger: logger) == 0, "an owner account whose token was never shown exists")

                let file = directory.appendingPathComponent("credentials")
                let retry = try await OwnerAccount.ensure(accounts: accounts, environment: [:], credentialsFile: file, logger: logger)
                guard case .generated = retry else {
                    Issue.record("expected the retry to generate credentials, got \(retry)")
                    return
                }
            }
        }
    }

    @Test func secondCallFindsTheExistingAccount() async throws {
        try await TestDatabase.withFresh { database in
            try await withTemporaryDirectory { directory in
                let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
                let file = directory.appendingPathComponent("credentials")
                _ = try await OwnerAccount.ensure(accounts: accounts, environment: [:], credentialsFile: file, logger: logger)
                let saved = try String(contentsOf: file, encoding: .utf8)
                for environment in [[:], [OwnerAccount.sidVariable: Self.sid, OwnerAccount.tokenVariable: Self.token]] {
                    let outcome = try await OwnerAccount.ensure(accounts: accounts, environment: environment, credentialsFile: file, logger: logger)
                    guard case .existing = outcome else {
                        Issue.record("expected .existing, got \(outcome)")
                        return
                    }
                }
                #expect(try await accounts.count(logger: logger) == 1)
                #expect(try String(contentsOf: file, encoding: .utf8) == saved)
            }
        }
    }

    @Test func concurrentCallsCreateOneAccount() async throws {
        let endpoint = try await TestDatabase.freshEndpoint()
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("credentials")
            @Sendable func ensureWithOwnPool() async throws -> OwnerAccount.Outcome {
                try await Database.withTemporaryPool(endpoint: endpoint, logger: TestDatabase.logger) { database in
                    try await OwnerAccount.ensure(
                        accounts: AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox), environment: [:],
                        credentialsFile: file, logger: TestDatabase.logger)
                }
            }
            let outcomes = try await withThrowingTaskGroup(of: OwnerAccount.Outcome.self) { group in
                for _ in 0..<4 { group.addTask { try await ensureWithOwnPool() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            var generated: [Account] = []
            for outcome in outcomes {
                switch outcome {
                case .generated(let account, _): generated.append(account)
                case .existing: break
                case .createdFromEnvironment: Issue.record("no environment was given")
                }
            }
            #expect(generated.count == 1)
            let contents = try String(contentsOf: file, encoding: .utf8)
            #expect(contents == generated.first.map { OwnerAccount.credentialsFileContents(sid: $0.sid, token: $0.authToken) })
            try await Database.withTemporaryPool(endpoint: endpoint, logger: TestDatabase.logger) { (database) async throws in
                #expect(try await AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox).count(logger: TestDatabase.logger) == 1)
            }
        }
    }
}
