import Foundation
import Platform
import PostgresNIO
import TestSupport
import Testing

/// Events are written with the change they report, and fanned out to the subscriptions that want them.
@Suite struct EventOutboxTests {
    let logger = TestDatabase.logger

    func deliveries(_ database: Database) async throws -> [(subscription: String, type: String)] {
        try await database.query("SELECT subscription_sid, event_type FROM deliveries ORDER BY seq", logger: logger)
            .map { try $0.decode((String, String).self) }.map { (subscription: $0.0, type: $0.1) }
    }

    @Test func fansOutToMatchingEnabledSubscriptionsOfTheAccountAndItsParent() async throws {
        try await TestDatabase.withFresh { database in
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let subscriptions = SubscriptionRepository(database: database, secrets: Fixtures.secrets)
            let main = try await accounts.create(parent: nil, friendlyName: "Main", logger: logger)
            let stranger = try await accounts.create(parent: nil, friendlyName: "Stranger", logger: logger)
            func subscribe(_ account: Account, _ types: [String], enabled: Bool = true) async throws -> String {
                try await subscriptions.create(
                    account: account.sid, url: "https://example.com/\(types[0])", eventTypes: types, format: .json, method: .post,
                    friendlyName: nil, enabled: enabled, logger: logger
                ).subscription.sid.rawValue
            }
            let everything = try await subscribe(main, ["*"])
            let accountEvents = try await subscribe(main, ["account.*"])
            let created = try await subscribe(main, ["account.created", "key.deleted"])
            let keys = try await subscribe(main, ["key.*"])
            _ = try await subscribe(main, ["*"], enabled: false)
            _ = try await subscribe(stranger, ["*"])

            let sub = try await accounts.create(parent: main.sid, friendlyName: "Sub", logger: logger)
            let own = try await subscribe(sub, ["account.updated"])
            _ = try await accounts.update(sub.sid, visibleTo: main.sid, friendlyName: "Renamed", status: nil, logger: logger)

            let rows = try await deliveries(database)
            let created1 = rows.filter { $0.type == "account.created" }.map(\.subscription)
            #expect(Set(created1) == [everything, accountEvents, created])  // the parent hears of its new subaccount
            let updated = rows.filter { $0.type == "account.updated" }.map(\.subscription)
            #expect(Set(updated) == [everything, accountEvents, own])
            #expect(!rows.contains { $0.subscription == keys })
            // Deliveries belong to the subscriber, whatever account the event concerns.
            let owners = try await database.query(
                "SELECT DISTINCT d.account_sid FROM deliveries d WHERE d.subscription_sid = \(own)", logger: logger
            ).map { try $0.decode(String.self) }
            #expect(owners == [sub.sid.rawValue])
        }
    }

    @Test func aRolledBackChangeLeavesNoEvent() async throws {
        try await TestDatabase.withFresh { database in
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let main = try await accounts.create(parent: nil, friendlyName: "Main", logger: logger)
            _ = try await SubscriptionRepository(database: database, secrets: Fixtures.secrets).create(
                account: main.sid, url: "https://example.com/", eventTypes: ["*"], format: .json, method: .post, friendlyName: nil,
                enabled: true, logger: logger)
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await database.withTransaction(logger: logger) { connection in
                    try await Fixtures.outbox.record(EventCatalogue.accountUpdated(main), on: connection, logger: logger)
                    throw Abort()
                }
            }
            let counts = try await database.query(
                "SELECT (SELECT count(*) FROM events WHERE type = 'account.updated'), (SELECT count(*) FROM deliveries)", logger: logger
            )[0].decode((Int, Int).self)
            #expect(counts == (0, 0))
            // Same with a change that fails: the key insert violates its foreign key, so no key.created either.
            let keys = APIKeyRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            await #expect(throws: (any Error).self) {
                _ = try await keys.create(account: SID.generate(.account), friendlyName: nil, logger: logger)
            }
            #expect(try await database.query("SELECT count(*) FROM events", logger: logger)[0].decode(Int.self) == 1)  // account.created
        }
    }

    @Test func noChangeNoEvent() async throws {
        try await TestDatabase.withFresh { database in
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let main = try await accounts.create(parent: nil, friendlyName: "Main", logger: logger)
            _ = try await accounts.update(main.sid, visibleTo: main.sid, friendlyName: "Main", status: nil, logger: logger)
            _ = try await accounts.update(main.sid, visibleTo: main.sid, friendlyName: "Other", status: nil, logger: logger)
            let types = try await database.query("SELECT type FROM events ORDER BY occurred_at", logger: logger).map { try $0.decode(String.self) }
            #expect(types == ["account.created", "account.updated"])
        }
    }

    @Test func patternsAreCheckedAgainstTheCatalogue() throws {
        for good in ["*", "account.*", "account.created", "key.deleted", "key.*"] {
            try EventTypePattern.validate(good)
        }
        for malformed in ["", ".*", "acc*unt", "Account.created", "account..created", "account.", "account.**", " *"] {
            #expect(throws: EventTypePatternError.malformed(malformed)) { try EventTypePattern.validate(malformed) }
        }
        for unknown in ["account.craeted", "fax.*", "rooms"] {
            #expect(throws: EventTypePatternError.matchesNothing(unknown)) { try EventTypePattern.validate(unknown) }
        }
        #expect(EventTypePattern.candidates(for: "room.participant.connected") == ["*", "room.*", "room.participant.*", "room.participant.connected"])
    }
}
