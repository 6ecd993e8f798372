import Foundation
import Platform
import PostgresNIO
import TestSupport
import Testing

@Suite struct AccountRepositoryTests {
    let logger = TestDatabase.logger

    /// Every page of `list`, following `.after` from `.start`.
    static func allPages(
        _ accounts: AccountRepository, visibleTo principal: SID, friendlyName: String? = nil, status: AccountStatus? = nil,
        pageSize: Int
    ) async throws -> [Page<Account>] {
        var pages: [Page<Account>] = []
        var cursor = PageCursor.start
        while true {
            let page = try await accounts.list(
                visibleTo: principal, friendlyName: friendlyName, status: status, cursor: cursor, pageSize: pageSize,
                logger: TestDatabase.logger)
            pages.append(page)
            guard page.hasMore, let last = page.lastSequence else { return pages }
            #expect(pages.count < 100, "paging does not end")
            if pages.count >= 100 { return pages }
            cursor = .after(last)
        }
    }

    @Test func createMainAndSubaccount() async throws {
        try await TestDatabase.withFresh { database in
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let main = try await accounts.create(parent: nil, friendlyName: "Main", logger: logger)
            #expect(main.sid.prefix == .account)
            #expect(main.parentSid == nil)
            #expect(main.ownerAccountSid == main.sid)
            #expect(main.status == .active)
            #expect(main.friendlyName == "Main")
            #expect(main.authToken.count == 32)
            #expect(main.authToken.allSatisfy { "0123456789abcdef".contains($0) })
            #expect(abs(main.dateCreated.timeIntervalSinceNow) < 300)

            let sub = try await accounts.create(parent: main.sid, friendlyName: "Sub", logger: logger)
            #expect(sub.parentSid == main.sid)
            #expect(sub.ownerAccountSid == main.sid)
            #expect(sub.authToken != main.authToken)
            #expect(try await accounts.find(sub.sid, visibleTo: main.sid, logger: logger) == sub)
            #expect(try await accounts.count(logger: logger) == 2)

            let fixedSid = SID.generate(.account)
            let fixed = try await accounts.create(
                parent: nil, friendlyName: "Fixed", sid: fixedSid, authToken: "0123456789abcdef0123456789abcdef", logger: logger)
            #expect(fixed.sid == fixedSid)
            #expect(fixed.authToken == "0123456789abcdef0123456789abcdef")
        }
    }

    @Test func findFollowsVisibilityRules() async throws {
        try await TestDatabase.withFresh { database in
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let main = try await accounts.create(parent: nil, friendlyName: "Main", logger: logger)
            let sub = try await accounts.create(parent: main.sid, friendlyName: "Sub", logger: logger)
            let sibling = try await accounts.create(parent: main.sid, friendlyName: "Sibling", logger: logger)
            let stranger = try await accounts.create(parent: nil, friendlyName: "Stranger", logger: logger)
            let strangersSub = try await accounts.create(parent: stranger.sid, friendlyName: "Stranger's sub", logger: logger)

            #expect(try await accounts.find(main.sid, visibleTo: main.sid, logger: logger) == main)
            #expect(try await accounts.find(sub.sid, visibleTo: main.sid, logger: logger) == sub)
            #expect(try await accounts.find(sub.sid, visibleTo: sub.sid, logger: logger) == sub)
            #expect(try await accounts.find(main.sid, visibleTo: sub.sid, logger: logger) == nil)  // parent
            #expect(try await accounts.find(sibling.sid, visibleTo: sub.sid, logger: logger) == nil)
            #expect(try await accounts.find(stranger.sid, visibleTo: main.sid, logger: logger) == nil)
            #expect(try await accounts.find(strangersSub.sid, visibleTo: main.sid, logger: logger) == nil)
            #expect(try await accounts.find(main.sid, visibleTo: stranger.sid, logger: logger) == nil)
            #expect(try await accounts.find(SID.generate(.account), visibleTo: main.sid, logger: logger) == nil)

            #expect(try await accounts.isVisible(sub.sid, to: main.sid, logger: logger))
            #expect(try await accounts.isVisible(sub.sid, to: sub.sid, logger: logger))
            #expect(try await !accounts.isVisible(main.sid, to: sub.sid, logger: logger))
            #expect(try await !accounts.isVisible(sibling.sid, to: sub.sid, logger: logger))
            #expect(try await !accounts.isVisible(strangersSub.sid, to: main.sid, logger: logger))
        }
    }

    @Test func pagingReturnsEveryRowOnce() async throws {
        try await TestDatabase.withFresh { database in
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let main = try await accounts.create(parent: nil, friendlyName: "Main", logger: logger)
            var expected = [main.sid]
            for index in 0..<7 {
                expected.append(try await accounts.create(parent: main.sid, friendlyName: "Sub \(index)", logger: logger).sid)
                // Another tenant's rows interleave and must never show up.
                _ = try await accounts.create(parent: nil, friendlyName: "Other \(index)", logger: logger)
            }
            for pageSize in [1, 3, 4, 8, 50] {
                let pages = try await Self.allPages(accounts, visibleTo: main.sid, pageSize: pageSize)
                #expect(pages.flatMap(\.items).map(\.sid) == expected, "page size \(pageSize)")
                #expect(pages.allSatisfy { $0.items.count <= pageSize })
                #expect(pages.dropLast().allSatisfy { $0.hasMore && $0.items.count == pageSize })
                #expect(pages.last?.hasMore == false)
                #expect(pages.count == (expected.count + pageSize - 1) / pageSize, "page size \(pageSize)")
            }

            // Walking back with .before from the last page returns the earlier rows in ascending order.
            let forward = try await Self.allPages(accounts, visibleTo: main.sid, pageSize: 3)
            var backward: [[SID]] = [forward.last!.items.map(\.sid)]
            var cursor = PageCursor.before(forward.last!.firstSequence!)
            while true {
                let page = try await accounts.list(
                    visibleTo: main.sid, friendlyName: nil, status: nil, cursor: cursor, pageSize: 3, logger: logger)
                if page.items.isEmpty { break }
                #expect(page.hasMore)  // the page we came from follows
                backward.insert(page.items.map(\.sid), at: 0)
                cursor = .before(page.firstSequence!)
                if backward.count > 10 { break }
            }
            #expect(backward == forward.map { $0.items.map(\.sid) })

            // .offset skips rows in order.
            for skip in [0, 2, 7, 8, 20] {
                let page = try await accounts.list(
                    visibleTo: main.sid, friendlyName: nil, status: nil, cursor: .offset(skip), pageSize: 3, logger: logger)
                #expect(page.items.map(\.sid) == Array(expected.dropFirst(skip).prefix(3)), "offset \(skip)")
                #expect(page.hasMore == (skip + 3 < expected.count), "offset \(skip)")
            }

            // A subaccount sees only itself.
            let subPages = try await Self.allPages(accounts, visibleTo: expected[1], pageSize: 5)
            #expect(subPages.flatMap(\.items).map(\.sid) == [expected[1]])
        }
    }

    @Test func emptyPage() async throws {
        try await TestDatabase.withFresh { database in
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let page = try await accounts.list(
                visibleTo: SID.generate(.account), friendlyName: nil, status: nil, cursor: .start, pageSize: 10, logger: logger)
            #expect(page.items.isEmpty)
            #expect(!page.hasMore)
            #expect(page.firstSequence == nil && page.lastSequence == nil)
        }
    }

    @Test func filtersByFriendlyNameAndStatus() async throws {
        try await TestDatabase.withFresh { database in
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let main = try await accounts.create(parent: nil, friendlyName: "Main", logger: logger)
            let a = try await accounts.create(parent: main.sid, friendlyName: "Blue", logger: logger)
            let b = try await accounts.create(parent: main.sid, friendlyName: "Blue", logger: logger)
            let c = try await accounts.create(parent: main.sid, friendlyName: "Green", logger: logger)
            _ = try await accounts.create(parent: nil, friendlyName: "Blue", logger: logger)  // not visible
            _ = try await accounts.update(b.sid, visibleTo: main.sid, friendlyName: nil, status: .suspended, logger: logger)

            func sids(_ name: String?, _ status: AccountStatus?, pageSize: Int = 10) async throws -> [SID] {
                try await Self.allPages(accounts, visibleTo: main.sid, friendlyName: name, status: status, pageSize: pageSize)
                    .flatMap(\.items).map(\.sid)
            }
            #expect(try await sids("Blue", nil) == [a.sid, b.sid])
            #expect(try await sids("Blue", nil, pageSize: 1) == [a.sid, b.sid])
            #expect(try await sids("blue", nil) == [])
            #expect(try await sids(nil, .suspended) == [b.sid])
            #expect(try await sids(nil, .active) == [main.sid, a.sid, c.sid])
            #expect(try await sids("Blue", .active) == [a.sid])
            #expect(try await sids("Green", .suspended) == [])
            #expect(try await sids(nil, .closed) == [])
        }
    }

    @Test func updateIsScopedAndLeavesNilFieldsAlone() async throws {
        try await TestDatabase.withFresh { database in
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let main = try await accounts.create(parent: nil, friendlyName: "Main", logger: logger)
            let sub = try await accounts.create(parent: main.sid, friendlyName: "Sub", logger: logger)
            let stranger = try await accounts.create(parent: nil, friendlyName: "Stranger", logger: logger)

            let renamed = try #require(try await accounts.update(sub.sid, visibleTo: main.sid, friendlyName: "Renamed", status: nil, logger: logger))
            #expect(renamed.friendlyName == "Renamed")
            #expect(renamed.status == .active)
            #expect(renamed.authToken == sub.authToken)
            #expect(renamed.dateCreated == sub.dateCreated)
            #expect(renamed.dateUpdated >= sub.dateUpdated)

            let suspended = try #require(try await accounts.update(sub.sid, visibleTo: sub.sid, friendlyName: nil, status: .suspended, logger: logger))
            #expect(suspended.friendlyName == "Renamed")
            #expect(suspended.status == .suspended)

            #expect(try await accounts.update(main.sid, visibleTo: sub.sid, friendlyName: "Hijacked", status: .closed, logger: logger) == nil)
            #expect(try await accounts.update(sub.sid, visibleTo: stranger.sid, friendlyName: "Hijacked", status: .closed, logger: logger) == nil)
            #expect(try await accounts.find(main.sid, visibleTo: main.sid, logger: logger) == main)
            #expect(try await accounts.find(sub.sid, visibleTo: main.sid, logger: logger)?.friendlyName == "Renamed")
        }
    }

    @Test func authTokenIsStoredEncryptedAndBoundToItsRow() async throws {
        try await TestDatabase.withFresh { database in
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let account = try await accounts.create(parent: nil, friendlyName: "Main", logger: logger)
            let raw = try await database.query("SELECT auth_token FROM accounts WHERE sid = \(account.sid.rawValue)", logger: logger)[0]
                .decode(Data.self)
            #expect(raw.range(of: Data(account.authToken.utf8)) == nil)
            #expect(raw.range(of: Data(account.authToken.uppercased().utf8)) == nil)
            #expect(try Fixtures.secrets.open(raw, context: account.sid.rawValue) == account.authToken)

            // A sealed token copied onto another row does not open there.
            let other = try await accounts.create(parent: nil, friendlyName: "Other", logger: logger)
            try await database.query("UPDATE accounts SET auth_token = \(raw) WHERE sid = \(other.sid.rawValue)", logger: logger)
            await #expect(throws: (any Error).self) { try await accounts.find(other.sid, visibleTo: other.sid, logger: logger) }
        }
    }
}
