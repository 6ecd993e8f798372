import Foundation
import Platform
import PostgresNIO
import TestSupport
import Testing

@Suite struct APIKeyRepositoryTests {
    let logger = TestDatabase.logger

    struct Tenants {
        let accounts: AccountRepository
        let keys: APIKeyRepository
        let main: Account
        let sub: Account
        let stranger: Account
    }

    func withTenants(_ body: @Sendable (Tenants, Database) async throws -> Void) async throws {
        try await TestDatabase.withFresh { database in
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let logger = TestDatabase.logger
            let main = try await accounts.create(parent: nil, friendlyName: "Main", logger: logger)
            let tenants = Tenants(
                accounts: accounts, keys: APIKeyRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox), main: main,
                sub: try await accounts.create(parent: main.sid, friendlyName: "Sub", logger: logger),
                stranger: try await accounts.create(parent: nil, friendlyName: "Stranger", logger: logger))
            try await body(tenants, database)
        }
    }

    @Test func createReturnsTheSecretOnce() async throws {
        try await withTenants { t, _ in
            let (key, secret) = try await t.keys.create(account: t.main.sid, friendlyName: "CI", logger: logger)
            #expect(key.sid.prefix == .apiKey)
            #expect(key.accountSid == t.main.sid)
            #expect(key.friendlyName == "CI")
            #expect(secret.count == 32)
            #expect(secret.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
            #expect(try await t.keys.find(key.sid, account: t.main.sid, logger: logger) == key)

            let (unnamed, otherSecret) = try await t.keys.create(account: t.main.sid, friendlyName: nil, logger: logger)
            #expect(unnamed.friendlyName == nil)
            #expect(unnamed.sid != key.sid)
            #expect(otherSecret != secret)
        }
    }

    @Test func keysAreScopedByAccount() async throws {
        try await withTenants { t, _ in
            let (mainKey, _) = try await t.keys.create(account: t.main.sid, friendlyName: "main", logger: logger)
            let (subKey, _) = try await t.keys.create(account: t.sub.sid, friendlyName: "sub", logger: logger)

            #expect(try await t.keys.find(mainKey.sid, account: t.main.sid, logger: logger) != nil)
            #expect(try await t.keys.find(mainKey.sid, account: t.sub.sid, logger: logger) == nil)
            #expect(try await t.keys.find(mainKey.sid, account: t.stranger.sid, logger: logger) == nil)
            // A parent's key list is its own: subaccount keys belong to the subaccount.
            #expect(try await t.keys.find(subKey.sid, account: t.main.sid, logger: logger) == nil)
            #expect(try await t.keys.find(subKey.sid, account: t.sub.sid, logger: logger) == subKey)

            let strangerList = try await t.keys.list(account: t.stranger.sid, cursor: .start, pageSize: 10, logger: logger)
            #expect(strangerList.items.isEmpty)
            #expect(try await t.keys.list(account: t.main.sid, cursor: .start, pageSize: 10, logger: logger).items == [mainKey])
        }
    }

    @Test func pagingReturnsEveryKeyOnce() async throws {
        try await withTenants { t, _ in
            var expected: [SID] = []
            for index in 0..<6 {
                expected.append(try await t.keys.create(account: t.main.sid, friendlyName: "k\(index)", logger: logger).key.sid)
                _ = try await t.keys.create(account: t.stranger.sid, friendlyName: "s\(index)", logger: logger)
            }
            for pageSize in [1, 2, 4, 6, 10] {
                var seen: [SID] = []
                var cursor = PageCursor.start
                var pages = 0
                while pages < 20 {
                    let page = try await t.keys.list(account: t.main.sid, cursor: cursor, pageSize: pageSize, logger: logger)
                    pages += 1
                    seen += page.items.map(\.sid)
                    #expect(page.items.count <= pageSize)
                    #expect(page.hasMore == (seen.count < expected.count), "page size \(pageSize), page \(pages)")
                    guard page.hasMore, let last = page.lastSequence else { break }
                    cursor = .after(last)
                }
                #expect(seen == expected, "page size \(pageSize)")
            }

            let firstTwo = try await t.keys.list(account: t.main.sid, cursor: .start, pageSize: 2, logger: logger)
            let next = try await t.keys.list(account: t.main.sid, cursor: .after(firstTwo.lastSequence!), pageSize: 2, logger: logger)
            let back = try await t.keys.list(account: t.main.sid, cursor: .before(next.firstSequence!), pageSize: 2, logger: logger)
            #expect(back.items.map(\.sid) == Array(expected.prefix(2)))
            #expect(back.hasMore)
            let offset = try await t.keys.list(account: t.main.sid, cursor: .offset(4), pageSize: 3, logger: logger)
            #expect(offset.items.map(\.sid) == Array(expected.suffix(2)))
            #expect(!offset.hasMore)
        }
    }

    @Test func updateIsScoped() async throws {
        try await withTenants { t, _ in
            let (key, _) = try await t.keys.create(account: t.main.sid, friendlyName: "before", logger: logger)
            let renamed = try #require(try await t.keys.update(key.sid, account: t.main.sid, friendlyName: "after", logger: logger))
            #expect(renamed.friendlyName == "after")
            #expect(renamed.sid == key.sid)
            #expect(renamed.dateCreated == key.dateCreated)
            // nil leaves the name alone.
            #expect(try await t.keys.update(key.sid, account: t.main.sid, friendlyName: nil, logger: logger)?.friendlyName == "after")

            #expect(try await t.keys.update(key.sid, account: t.sub.sid, friendlyName: "hijack", logger: logger) == nil)
            #expect(try await t.keys.update(key.sid, account: t.stranger.sid, friendlyName: "hijack", logger: logger) == nil)
            #expect(try await t.keys.find(key.sid, account: t.main.sid, logger: logger)?.friendlyName == "after")
        }
    }

    @Test func deleteIsScoped() async throws {
        try await withTenants { t, _ in
            let (key, _) = try await t.keys.create(account: t.main.sid, friendlyName: nil, logger: logger)
            #expect(try await !t.keys.delete(key.sid, account: t.stranger.sid, logger: logger))
            #expect(try await !t.keys.delete(key.sid, account: t.sub.sid, logger: logger))
            #expect(try await t.keys.find(key.sid, account: t.main.sid, logger: logger) != nil)
            #expect(try await t.keys.delete(key.sid, account: t.main.sid, logger: logger))
            #expect(try await t.keys.find(key.sid, account: t.main.sid, logger: logger) == nil)
            #expect(try await !t.keys.delete(key.sid, account: t.main.sid, logger: logger))
        }
    }

    @Test func secretIsStoredEncrypted() async throws {
        try await withTenants { t, database in
            let (key, secret) = try await t.keys.create(account: t.main.sid, friendlyName: nil, logger: logger)
            let raw = try await database.query("SELECT secret FROM api_keys WHERE sid = \(key.sid.rawValue)", logger: logger)[0]
                .decode(Data.self)
            #expect(raw.range(of: Data(secret.utf8)) == nil)
            #expect(raw.count == 12 + secret.utf8.count + 16)
            #expect(try Fixtures.secrets.open(raw, context: key.sid.rawValue) == secret)
            #expect(throws: (any Error).self) { try Fixtures.secrets.open(raw, context: t.main.sid.rawValue) }
        }
    }
}
