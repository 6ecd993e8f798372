import Foundation
import Platform
import PostgresNIO
import TestSupport
import Testing

@Suite struct DeliveryRepositoryTests {
    let logger = TestDatabase.logger

    struct Fixture {
        let database: Database
        let accounts: AccountRepository
        let subscriptions: SubscriptionRepository
        let deliveries: DeliveryRepository
        let main: Account
        let stranger: Account
        /// `account.*` as JSON to …/accounts, and `key.*` as a form to …/keys.
        let accountHook: EventSubscription
        let keyHook: EventSubscription
    }

    func withFixture(_ body: @Sendable (Fixture) async throws -> Void) async throws {
        try await TestDatabase.withFresh { database in
            let logger = TestDatabase.logger
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let subscriptions = SubscriptionRepository(database: database, secrets: Fixtures.secrets)
            let main = try await accounts.create(parent: nil, friendlyName: "Main", logger: logger)
            let accountHook = try await subscriptions.create(
                account: main.sid, url: "https://203.0.113.10/accounts", eventTypes: ["account.*"], format: .json, method: .post,
                friendlyName: nil, enabled: true, logger: logger
            ).subscription
            let keyHook = try await subscriptions.create(
                account: main.sid, url: "https://203.0.113.10/keys", eventTypes: ["key.*"], format: .form, method: .get, friendlyName: nil,
                enabled: true, logger: logger
            ).subscription
            try await body(
                Fixture(
                    database: database, accounts: accounts, subscriptions: subscriptions, deliveries: DeliveryRepository(database: database),
                    main: main, stranger: try await accounts.create(parent: nil, friendlyName: "Stranger", logger: logger),
                    accountHook: accountHook, keyHook: keyHook))
        }
    }

    /// Records `event` as a domain change would.
    private func record(_ event: Event, _ f: Fixture) async throws {
        try await f.database.withTransaction(logger: logger) { connection in
            try await Fixtures.outbox.record(event, on: connection, logger: logger)
        }
    }

    private func all(_ f: Fixture, account: SID? = nil, _ filter: DeliveryFilter = DeliveryFilter()) async throws -> [Delivery] {
        try await f.deliveries.list(account: account ?? f.main.sid, filter: filter, cursor: .start, pageSize: 100, logger: logger).items
    }

    @Test func eventsBecomeDeliveriesThatListAndFilter() async throws {
        try await withFixture { f in
            let updated = EventCatalogue.accountUpdated(f.main)
            try await record(updated, f)
            let keys = APIKeyRepository(database: f.database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            _ = try await keys.create(account: f.main.sid, friendlyName: "ci", logger: logger)

            let deliveries = try await all(f)
            #expect(deliveries.map(\.eventType) == ["account.updated", "key.created"])
            let first = deliveries[0]
            #expect(first.sid.prefix == .delivery && first.accountSid == f.main.sid)
            #expect(first.subscriptionSid == f.accountHook.sid && first.eventSid == updated.sid)
            #expect(first.url == f.accountHook.url && first.format == .json && first.method == .post)
            #expect(first.status == .pending && first.attemptCount == 0 && first.nextAttemptAt != nil)
            #expect(first.lastResponseCode == nil && first.lastError == nil && first.dateDelivered == nil)
            #expect(deliveries[1].format == .form && deliveries[1].method == .get)
            #expect(try await f.deliveries.find(first.sid, account: f.main.sid, logger: logger) == first)

            #expect(try await all(f, DeliveryFilter(eventType: "key.created")).map(\.eventType) == ["key.created"])
            #expect(try await all(f, DeliveryFilter(url: f.accountHook.url)).map(\.sid) == [first.sid])
            #expect(try await all(f, DeliveryFilter(subscriptionSid: f.keyHook.sid)).map(\.sid) == [deliveries[1].sid])
            #expect(try await all(f, DeliveryFilter(eventSid: updated.sid)).map(\.sid) == [first.sid])
            #expect(try await all(f, DeliveryFilter(status: .pending)).count == 2)
            #expect(try await all(f, DeliveryFilter(status: .failed)).isEmpty)
            #expect(try await all(f, DeliveryFilter(createdAfter: first.dateCreated)).count == 2)
            #expect(try await all(f, DeliveryFilter(createdAfter: deliveries[1].dateCreated)).map(\.sid) == [deliveries[1].sid])
            #expect(try await all(f, DeliveryFilter(createdBefore: deliveries[1].dateCreated)).map(\.sid) == [first.sid])
            #expect(try await all(f, DeliveryFilter(status: .pending, eventType: "account.updated", subscriptionSid: f.keyHook.sid)).isEmpty)
        }
    }

    @Test func deliveriesAreScopedAndPaged() async throws {
        try await withFixture { f in
            for _ in 0..<5 { try await record(EventCatalogue.accountUpdated(f.main), f) }
            let deliveries = try await all(f)
            #expect(deliveries.count == 5)
            #expect(try await all(f, account: f.stranger.sid).isEmpty)
            #expect(try await f.deliveries.find(deliveries[0].sid, account: f.stranger.sid, logger: logger) == nil)

            var seen: [SID] = []
            var cursor = PageCursor.start
            while true {
                let page = try await f.deliveries.list(account: f.main.sid, filter: DeliveryFilter(), cursor: cursor, pageSize: 2, logger: logger)
                seen += page.items.map(\.sid)
                guard page.hasMore, let last = page.lastSequence else { break }
                cursor = .after(last)
            }
            #expect(seen == deliveries.map(\.sid))
        }
    }

    @Test func attemptsListInOrderAndAreScoped() async throws {
        try await withFixture { f in
            try await record(EventCatalogue.accountUpdated(f.main), f)
            let delivery = try #require(try await all(f).first)
            for number in 1...3 {
                try await f.database.query(
                    """
                    INSERT INTO delivery_attempts (delivery_sid, number, account_sid, started_at, url, response_code, latency_ms,
                                                   response_excerpt, error)
                    VALUES (\(delivery.sid.rawValue), \(number), \(f.main.sid.rawValue), now(), \(delivery.url),
                            \(number == 3 ? nil : 500 as Int?), 12.5, \(number == 3 ? nil : ByteBuffer(string: "oops") as ByteBuffer?),
                            \(number == 3 ? "timed out" : nil as String?))
                    """, logger: logger)
            }
            let page = try await f.deliveries.attempts(of: delivery.sid, account: f.main.sid, cursor: .start, pageSize: 2, logger: logger)
            #expect(page.items.map(\.number) == [1, 2] && page.hasMore)
            #expect(page.items[0].responseCode == 500 && page.items[0].responseBody == "oops" && page.items[0].latencyMilliseconds == 12.5)
            #expect(page.items[0].deliverySid == delivery.sid && page.items[0].accountSid == f.main.sid && page.items[0].url == delivery.url)
            let rest = try await f.deliveries.attempts(
                of: delivery.sid, account: f.main.sid, cursor: .after(page.lastSequence!), pageSize: 2, logger: logger)
            #expect(rest.items.map(\.number) == [3] && !rest.hasMore)
            #expect(rest.items[0].responseCode == nil && rest.items[0].responseBody == nil && rest.items[0].error == "timed out")
            let stranger = try await f.deliveries.attempts(of: delivery.sid, account: f.stranger.sid, cursor: .start, pageSize: 10, logger: logger)
            #expect(stranger.items.isEmpty)
        }
    }

    @Test func replayMakesADeliveryDueWithAFreshSchedule() async throws {
        try await withFixture { f in
            try await record(EventCatalogue.accountUpdated(f.main), f)
            let delivery = try #require(try await all(f).first)
            try await f.database.query(
                """
                UPDATE deliveries SET status = 'failed', attempt_count = 11, next_attempt_at = NULL, last_response_code = 503,
                    last_error = 'HTTP 503', date_updated = now() - interval '1 hour'
                WHERE sid = \(delivery.sid.rawValue)
                """, logger: logger)
            #expect(try await f.deliveries.replay(delivery.sid, account: f.stranger.sid, logger: logger) == nil)
            #expect(try await f.deliveries.find(delivery.sid, account: f.main.sid, logger: logger)?.status == .failed)

            let replayed = try #require(try await f.deliveries.replay(delivery.sid, account: f.main.sid, logger: logger))
            #expect(replayed.status == .pending && replayed.lastError == nil && replayed.attemptCount == 11)
            #expect(replayed.lastResponseCode == 503)
            let due = try #require(replayed.nextAttemptAt)
            #expect(abs(due.timeIntervalSinceNow) < 60)
            #expect(abs(replayed.dateUpdated.timeIntervalSinceNow) < 60)
            let scheduleStart = try await f.database.query(
                "SELECT schedule_start FROM deliveries WHERE sid = \(delivery.sid.rawValue)", logger: logger)[0].decode(Int.self)
            #expect(scheduleStart == 11)
        }
    }

    @Test func replayRefusesDeliveriesOfDeletedSubscriptionsButNotCallbacks() async throws {
        try await withFixture { f in
            try await record(EventCatalogue.accountUpdated(f.main), f)
            let delivery = try #require(try await all(f).first)
            #expect(try await f.subscriptions.delete(f.accountHook.sid, account: f.main.sid, logger: logger))
            await #expect(throws: APIError.self) { try await f.deliveries.replay(delivery.sid, account: f.main.sid, logger: logger) }
            do {
                _ = try await f.deliveries.replay(delivery.sid, account: f.main.sid, logger: logger)
            } catch let error as APIError {
                #expect(error.status == 400 && error.code == 20001 && error.message.contains("subscription of this delivery was deleted"))
            }

            // A Twilio callback has neither subscription nor event: it can always be replayed.
            let callback = SID.generate(.delivery)
            try await f.database.query(
                """
                INSERT INTO deliveries (sid, account_sid, event_type, url, method, format, payload, status, attempt_count)
                VALUES (\(callback.rawValue), \(f.main.sid.rawValue), 'message.status', 'https://203.0.113.10/status', 'POST', 'form',
                        \(ByteBuffer(string: "MessageStatus=delivered")), 'failed', 3)
                """, logger: logger)
            let replayed = try await f.deliveries.replay(callback, account: f.main.sid, logger: logger)
            #expect(replayed?.status == .pending && replayed?.subscriptionSid == nil && replayed?.eventSid == nil)
        }
    }
}
