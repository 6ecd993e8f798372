import Foundation
import Platform
import PostgresNIO
import TestSupport
import Testing

@Suite struct SubscriptionRepositoryTests {
    let logger = TestDatabase.logger
    static let url = "https://203.0.113.10/hook"

    struct Tenants {
        let accounts: AccountRepository
        let subscriptions: SubscriptionRepository
        let main: Account
        let stranger: Account
    }

    func withTenants(_ body: @Sendable (Tenants, Database) async throws -> Void) async throws {
        try await TestDatabase.withFresh { database in
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let tenants = Tenants(
                accounts: accounts, subscriptions: SubscriptionRepository(database: database, secrets: Fixtures.secrets),
                main: try await accounts.create(parent: nil, friendlyName: "Main", logger: TestDatabase.logger),
                stranger: try await accounts.create(parent: nil, friendlyName: "Stranger", logger: TestDatabase.logger))
            try await body(tenants, database)
        }
    }

    private func create(
        _ t: Tenants, account: SID? = nil, types: [String] = ["account.*"], format: DeliveryFormat = .json, method: DeliveryMethod = .post,
        enabled: Bool = true
    ) async throws -> (subscription: EventSubscription, secret: WebhookSecret) {
        try await t.subscriptions.create(
            account: account ?? t.main.sid, url: Self.url, eventTypes: types, format: format, method: method, friendlyName: "hook",
            enabled: enabled, logger: logger)
    }

    /// The subscription's sealed secrets, opened.
    private func storedSecrets(_ database: Database, _ sid: SID) async throws -> (current: String, previous: String?) {
        let row = try await database.query(
            "SELECT secret, previous_secret FROM event_subscriptions WHERE sid = \(sid.rawValue)", logger: logger)[0]
        let (current, previous) = try row.decode((Data, Data?).self)
        return (
            try Fixtures.secrets.open(current, context: sid.rawValue),
            try previous.map { try Fixtures.secrets.open($0, context: sid.rawValue) }
        )
    }

    @Test func createStoresTheSecretSealed() async throws {
        try await withTenants { t, database in
            let (subscription, secret) = try await create(t, types: ["account.created", "key.*"])
            #expect(subscription.sid.prefix == .eventSubscription)
            #expect(subscription.accountSid == t.main.sid)
            #expect(subscription.url == Self.url)
            #expect(subscription.eventTypes == ["account.created", "key.*"])
            #expect(subscription.format == .json && subscription.method == .post && subscription.enabled)
            #expect(subscription.disabledReason == nil && subscription.previousSecretExpiresAt == nil)
            #expect(secret.serialized.hasPrefix("whsec_"))
            #expect(try WebhookSecret(parsing: secret.serialized).serialized == secret.serialized)
            #expect(try await t.subscriptions.find(subscription.sid, account: t.main.sid, logger: logger) == subscription)

            let raw = try await database.query("SELECT secret FROM event_subscriptions WHERE sid = \(subscription.sid.rawValue)", logger: logger)[0]
                .decode(Data.self)
            #expect(raw.range(of: Data(secret.serialized.utf8)) == nil)
            #expect(try await storedSecrets(database, subscription.sid).current == secret.serialized)
        }
    }

    @Test func getIsOnlyForForm() async throws {
        try await withTenants { t, _ in
            await #expect(throws: APIError.self) { try await create(t, format: .json, method: .get) }
            let form = try await create(t, format: .form, method: .get).subscription
            #expect(form.method == .get)
            // Switching the format back to JSON while the method stays GET is refused too.
            await #expect(throws: APIError.self) {
                try await t.subscriptions.update(
                    form.sid, account: t.main.sid, url: nil, eventTypes: nil, format: .json, method: nil, friendlyName: nil, enabled: nil,
                    logger: logger)
            }
            let json = try await t.subscriptions.update(
                form.sid, account: t.main.sid, url: nil, eventTypes: nil, format: .json, method: .post, friendlyName: nil, enabled: nil,
                logger: logger)
            #expect(json?.format == .json && json?.method == .post)
        }
    }

    @Test func everyCallIsScopedByAccount() async throws {
        try await withTenants { t, _ in
            let sid = try await create(t).subscription.sid
            let other = t.stranger.sid
            #expect(try await t.subscriptions.find(sid, account: other, logger: logger) == nil)
            #expect(try await t.subscriptions.list(account: other, enabled: nil, cursor: .start, pageSize: 10, logger: logger).items.isEmpty)
            #expect(
                try await t.subscriptions.update(
                    sid, account: other, url: "https://203.0.113.66/", eventTypes: nil, format: nil, method: nil, friendlyName: "x", enabled: false,
                    logger: logger) == nil)
            #expect(try await t.subscriptions.rotateSecret(sid, account: other, logger: logger) == nil)
            #expect(try await !t.subscriptions.delete(sid, account: other, logger: logger))
            let unchanged = try #require(try await t.subscriptions.find(sid, account: t.main.sid, logger: logger))
            #expect(unchanged.url == Self.url && unchanged.enabled && unchanged.previousSecretExpiresAt == nil)
        }
    }

    @Test func listFiltersByEnabledAndPages() async throws {
        try await withTenants { t, _ in
            var all: [SID] = []
            for index in 0..<5 { all.append(try await create(t, enabled: index % 2 == 0).subscription.sid) }
            _ = try await create(t, account: t.stranger.sid)
            let enabled = try await t.subscriptions.list(account: t.main.sid, enabled: true, cursor: .start, pageSize: 10, logger: logger)
            #expect(enabled.items.map(\.sid) == [all[0], all[2], all[4]])
            let disabled = try await t.subscriptions.list(account: t.main.sid, enabled: false, cursor: .start, pageSize: 10, logger: logger)
            #expect(disabled.items.map(\.sid) == [all[1], all[3]])

            var seen: [SID] = []
            var cursor = PageCursor.start
            while true {
                let page = try await t.subscriptions.list(account: t.main.sid, enabled: nil, cursor: cursor, pageSize: 2, logger: logger)
                seen += page.items.map(\.sid)
                guard page.hasMore, let last = page.lastSequence else { break }
                cursor = .after(last)
            }
            #expect(seen == all)
        }
    }

    @Test func updateChangesOnlyWhatIsGiven() async throws {
        try await withTenants { t, database in
            let original = try await create(t).subscription
            let changed = try #require(
                try await t.subscriptions.update(
                    original.sid, account: t.main.sid, url: "https://203.0.113.11/other#ct=1000", eventTypes: ["*"], format: .form, method: .get,
                    friendlyName: "renamed", enabled: false, logger: logger))
            #expect(changed.url == "https://203.0.113.11/other#ct=1000")
            #expect(changed.eventTypes == ["*"] && changed.format == .form && changed.method == .get)
            #expect(changed.friendlyName == "renamed" && !changed.enabled)
            #expect(changed.dateCreated == original.dateCreated)

            let untouched = try await t.subscriptions.update(
                original.sid, account: t.main.sid, url: nil, eventTypes: nil, format: nil, method: nil, friendlyName: nil, enabled: nil,
                logger: logger)
            #expect(untouched?.url == changed.url && untouched?.eventTypes == ["*"] && untouched?.friendlyName == "renamed")

            // Parley disabled it (a 410 Gone); Enabled=false keeps the reason, Enabled=true clears it.
            try await database.query(
                "UPDATE event_subscriptions SET disabled_reason = 'the receiver answered 410 Gone' WHERE sid = \(original.sid.rawValue)",
                logger: logger)
            let stillDisabled = try await t.subscriptions.update(
                original.sid, account: t.main.sid, url: nil, eventTypes: nil, format: nil, method: nil, friendlyName: nil, enabled: false,
                logger: logger)
            #expect(stillDisabled?.disabledReason == "the receiver answered 410 Gone")
            let reenabled = try await t.subscriptions.update(
                original.sid, account: t.main.sid, url: nil, eventTypes: nil, format: nil, method: nil, friendlyName: nil, enabled: true,
                logger: logger)
            #expect(reenabled?.enabled == true && reenabled?.disabledReason == nil)
        }
    }

    @Test func rotationKeepsThePreviousSecretForADay() async throws {
        try await withTenants { t, database in
            let (subscription, first) = try await create(t)
            let (rotated, second) = try #require(try await t.subscriptions.rotateSecret(subscription.sid, account: t.main.sid, logger: logger))
            #expect(second.serialized != first.serialized)
            let stored = try await storedSecrets(database, subscription.sid)
            #expect(stored.current == second.serialized)
            #expect(stored.previous == first.serialized)
            let expiry = try #require(rotated.previousSecretExpiresAt)
            #expect(abs(expiry.timeIntervalSinceNow - 24 * 3600) < 60)
            #expect(try await t.subscriptions.find(subscription.sid, account: t.main.sid, logger: logger)?.previousSecretExpiresAt == expiry)
        }
    }

    @Test func deleteFailsPendingDeliveriesAndKeepsThem() async throws {
        try await withTenants { t, database in
            let subscription = try await create(t).subscription
            let other = try await create(t).subscription
            try await database.withTransaction(logger: logger) { connection in
                try await Fixtures.outbox.record(EventCatalogue.accountUpdated(t.main), on: connection, logger: logger)
            }
            // One of the deleted subscription's deliveries was already delivered: it stays so.
            try await database.query(
                """
                UPDATE deliveries SET status = 'delivered', date_delivered = now()
                WHERE sid = (SELECT min(sid) FROM deliveries WHERE subscription_sid = \(subscription.sid.rawValue))
                """, logger: logger)
            try await database.withTransaction(logger: logger) { connection in
                try await Fixtures.outbox.record(EventCatalogue.accountUpdated(t.main), on: connection, logger: logger)
            }

            #expect(try await t.subscriptions.delete(subscription.sid, account: t.main.sid, logger: logger))
            #expect(try await t.subscriptions.find(subscription.sid, account: t.main.sid, logger: logger) == nil)
            #expect(try await !t.subscriptions.delete(subscription.sid, account: t.main.sid, logger: logger))

            let rows = try await database.query(
                """
                SELECT subscription_sid, status, last_error, next_attempt_at FROM deliveries
                WHERE account_sid = \(t.main.sid.rawValue) ORDER BY seq
                """, logger: logger)
            let deliveries = try rows.map { try $0.decode((String?, String, String?, Date?).self) }
            #expect(deliveries.count == 4)
            let orphaned = deliveries.filter { $0.0 == nil }
            #expect(orphaned.map(\.1).sorted() == ["delivered", "failed"])
            #expect(orphaned.filter { $0.1 == "failed" }.allSatisfy { $0.2 == "subscription deleted" && $0.3 == nil })
            // The other subscription's deliveries are untouched.
            let kept = deliveries.filter { $0.0 == other.sid.rawValue }
            #expect(kept.count == 2 && kept.allSatisfy { $0.1 == "pending" && $0.2 == nil && $0.3 != nil })
        }
    }

    @Test func pendingDeliveriesFollowUpdatesAndFailWhenDisabled() async throws {
        try await withTenants { t, database in
            let subscription = try await create(t, format: .json).subscription
            let other = try await create(t).subscription
            try await database.withTransaction(logger: logger) { connection in
                try await Fixtures.outbox.record(EventCatalogue.accountUpdated(t.main), on: connection, logger: logger)
            }
            func deliveries(_ sid: SID) async throws -> [(String, String, String, String, String?)] {
                try await database.query(
                    "SELECT url, format, method, status, last_error FROM deliveries WHERE subscription_sid = \(sid.rawValue)", logger: logger
                ).map { try $0.decode((String, String, String, String, String?).self) }
            }
            _ = try await t.subscriptions.update(
                subscription.sid, account: t.main.sid, url: "https://203.0.113.11/new", eventTypes: nil, format: .form, method: .get,
                friendlyName: nil, enabled: nil, logger: logger)
            let moved = try await deliveries(subscription.sid)
            #expect(moved.count == 1)
            #expect(moved.first.map { [$0.0, $0.1, $0.2, $0.3] } == ["https://203.0.113.11/new", "form", "GET", "pending"])

            _ = try await t.subscriptions.update(
                subscription.sid, account: t.main.sid, url: nil, eventTypes: nil, format: nil, method: nil, friendlyName: nil,
                enabled: false, logger: logger)
            #expect(try await deliveries(subscription.sid).map { [$0.3, $0.4] } == [["failed", "subscription disabled"]])
            #expect(try await deliveries(other.sid).map(\.3) == ["pending"])
        }
    }
}
