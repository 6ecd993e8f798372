import Foundation
import Logging
@testable import Platform
import PostgresNIO
import TestSupport
import Testing

/// The dispatcher against a real PostgreSQL and a real HTTP receiver on loopback.
@Suite struct DeliveryDispatcherTests {
    let logger = TestDatabase.logger

    /// Accounts, a loopback-allowing client, and helpers to subscribe and to run dispatchers.
    struct Fixture: Sendable {
        let database: Database
        let outbox: EventOutbox
        let accounts: AccountRepository
        let subscriptions: SubscriptionRepository
        let client: EgressHTTPClient
        let main: Account

        func subscribe(
            _ server: LoopbackHTTPServer, path: String = "/hook", types: [String] = ["*"], format: DeliveryFormat = .json,
            method: DeliveryMethod = .post
        ) async throws -> (EventSubscription, WebhookSecret) {
            try await subscriptions.create(
                account: main.sid, url: "http://127.0.0.1:\(server.port)\(path)", eventTypes: types, format: format, method: method,
                friendlyName: nil, enabled: true, logger: TestDatabase.logger)
        }

        /// Renames the main account `count` times: `count` `account.updated` events.
        func emit(_ count: Int) async throws {
            for index in 0..<count {
                _ = try await accounts.update(
                    main.sid, visibleTo: main.sid, friendlyName: "Main \(index) \(RandomToken.hex(byteCount: 2))", status: nil,
                    logger: TestDatabase.logger)
            }
        }

        func dispatcher(
            concurrency: Int = 8, lease: Duration = .seconds(30), schedule: RetrySchedule = .standard,
            breakers: CircuitBreakers = CircuitBreakers()
        ) -> DeliveryDispatcher {
            let dispatcher = DeliveryDispatcher(
                configuration: .init(concurrency: concurrency, lease: lease, pollInterval: .milliseconds(200), schedule: schedule),
                database: database, secrets: Fixtures.secrets, client: client, breakers: breakers, signal: outbox.signal,
                logger: TestDatabase.logger)
            dispatcher.databaseIsReady()  // the test database is migrated
            return dispatcher
        }

        func deliveries() async throws -> [(sid: String, status: String, attempts: Int, error: String?)] {
            try await database.query(
                "SELECT sid, status, attempt_count, last_error FROM deliveries ORDER BY seq", logger: TestDatabase.logger
            ).map { try $0.decode((String, String, Int, String?).self) }.map { (sid: $0.0, status: $0.1, attempts: $0.2, error: $0.3) }
        }

        func count(status: String) async throws -> Int {
            try await database.query("SELECT count(*) FROM deliveries WHERE status = \(status)", logger: TestDatabase.logger)[0]
                .decode(Int.self)
        }
    }

    /// Waits for `condition`, failing the test with what it waited for instead of hanging.
    func until(_ timeout: Duration = .seconds(5), _ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        guard try await eventually(timeout: timeout, condition) else { throw TimedOut(what: "condition at line \(sourceLocation.line)") }
    }

    func withFixture(_ body: @Sendable (Fixture) async throws -> Void) async throws {
        try await TestDatabase.withFresh { database in
            let outbox = EventOutbox(signal: DeliverySignal())
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: outbox)
            let client = EgressHTTPClient(policy: EgressPolicy(allowing: [try IPAddressRange("127.0.0.0/8")]))
            let fixture = Fixture(
                database: database, outbox: outbox, accounts: accounts,
                subscriptions: SubscriptionRepository(database: database, secrets: Fixtures.secrets), client: client,
                main: try await accounts.create(parent: nil, friendlyName: "Main", logger: TestDatabase.logger))
            do {
                try await body(fixture)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    /// Runs `dispatchers` while `body` runs, then stops them as a shutdown would (cancellation here).
    func running<Result: Sendable>(_ dispatchers: [DeliveryDispatcher], _ body: () async throws -> Result) async throws -> Result {
        let tasks = dispatchers.map { dispatcher in Task { try await dispatcher.run() } }
        defer { for task in tasks { task.cancel() } }
        let result = try await body()
        for task in tasks {
            task.cancel()
            _ = try? await task.value
        }
        return result
    }

    @Test func deliversSignedEventsAndRecordsTheAttempt() async throws {
        try await withFixture { f in
            let server = try await LoopbackHTTPServer.start(fallback: .respond(status: 200, body: Array("thanks".utf8)))
            let (subscription, secret) = try await f.subscribe(server)
            try await f.emit(1)
            try await running([f.dispatcher()]) {
                try await until { try await f.count(status: "delivered") == 1 }
            }
            let request = try #require(server.requests.first)
            #expect(server.requests.count == 1)
            #expect(request.uri == "/hook")
            try StandardWebhooks.verify(headers: request.headers, body: request.body, secret: secret, now: Int(Date.now.timeIntervalSince1970))
            let attempt = try await f.database.query(
                """
                SELECT a.number, a.response_code, convert_from(a.response_excerpt, 'UTF8'), a.url, d.subscription_sid, d.date_delivered IS NOT NULL
                FROM delivery_attempts a JOIN deliveries d ON d.sid = a.delivery_sid
                """, logger: logger
            ).map { try $0.decode((Int, Int?, String?, String, String?, Bool).self) }
            #expect(attempt.count == 1)
            #expect(attempt.first?.0 == 1)
            #expect(attempt.first?.1 == 200)
            #expect(attempt.first?.2 == "thanks")
            #expect(attempt.first?.3 == "http://127.0.0.1:\(server.port)/hook")
            #expect(attempt.first?.4 == subscription.sid.rawValue)
            #expect(attempt.first?.5 == true)
            try await server.shutdown()
        }
    }

    @Test func waitsForTheDatabaseToBeReady() async throws {
        try await withFixture { f in
            let server = try await LoopbackHTTPServer.start()
            _ = try await f.subscribe(server)
            try await f.emit(1)
            let dispatcher = DeliveryDispatcher(
                configuration: .init(pollInterval: .milliseconds(100)), database: f.database, secrets: Fixtures.secrets,
                client: f.client, signal: f.outbox.signal, logger: logger)
            try await running([dispatcher]) {
                try await Task.sleep(for: .milliseconds(500))
                #expect(server.requests.isEmpty, "claimed before the migrations were known to have run")
                dispatcher.databaseIsReady()
                try await until { try await f.count(status: "delivered") == 1 }
            }
            try await server.shutdown()
        }
    }

    @Test func honoursRetryAfterThenDelivers() async throws {
        try await withFixture { f in
            let server = try await LoopbackHTTPServer.start(replies: [.respond(status: 503, headers: [("Retry-After", "1")])])
            _ = try await f.subscribe(server)
            try await f.emit(1)
            let schedule = RetrySchedule(steps: [.milliseconds(200), .milliseconds(200)])
            try await running([f.dispatcher(schedule: schedule)]) {
                #expect(await eventually { server.requests.count >= 1 })
                let first = ContinuousClock.now
                #expect(await eventually(timeout: .seconds(5)) { server.requests.count >= 2 })
                let waited = ContinuousClock.now - first
                #expect(waited >= .milliseconds(950), "Retry-After: 1 is a floor; waited \(waited)")
                // Generous: the point is the floor; a busy machine (tests run in parallel) adds scheduling delay.
                #expect(waited < .seconds(4), "waited \(waited)")
                try await until { try await f.count(status: "delivered") == 1 }
            }
            let ids = Set(server.requests.compactMap { $0.header("webhook-id") })
            #expect(ids.count == 1)
            #expect(try await f.deliveries().first?.attempts == 2)
            try await server.shutdown()
        }
    }

    @Test func goneDisablesTheSubscriptionAndFailsWhatIsPending() async throws {
        try await withFixture { f in
            let server = try await LoopbackHTTPServer.start(fallback: .respond(status: 410))
            let (subscription, _) = try await f.subscribe(server)
            try await f.emit(3)
            try await running([f.dispatcher(concurrency: 1)]) {
                try await until { try await f.count(status: "failed") == 3 }
            }
            #expect(server.requests.count == 1)
            let after = try #require(try await f.subscriptions.find(subscription.sid, account: f.main.sid, logger: logger))
            #expect(!after.enabled)
            #expect(after.disabledReason?.contains("410") == true)
            let errors = try await f.deliveries().compactMap(\.error)
            #expect(errors.filter { $0.contains("subscription disabled") }.count == 2)
            // A disabled subscription gets no new deliveries.
            try await f.emit(1)
            #expect(try await f.deliveries().count == 3)
            try await server.shutdown()
        }
    }

    @Test func aDeadWorkersClaimIsTakenOverWhenItsLeaseRunsOut() async throws {
        try await withFixture { f in
            let server = try await LoopbackHTTPServer.start()
            _ = try await f.subscribe(server)
            try await f.emit(1)
            // A worker claims it under a short lease, then dies without a word.
            let dead = DeliveryClaims(database: f.database, secrets: Fixtures.secrets, lease: .seconds(1), holder: "dead")
            #expect(try await dead.claim(limit: 10, logger: logger).count == 1)
            try await running([f.dispatcher()]) {
                try await Task.sleep(for: .milliseconds(500))
                #expect(server.requests.isEmpty, "sent while another worker held the lease")
                try await until(.seconds(5)) { try await f.count(status: "delivered") == 1 }
            }
            #expect(server.requests.count == 1)
            #expect(try await f.deliveries().first?.attempts == 2)  // the dead worker's claim counted
            try await server.shutdown()
        }
    }

    @Test func competingDispatchersSendEachDeliveryOnce() async throws {
        try await withFixture { f in
            let server = try await LoopbackHTTPServer.start()
            _ = try await f.subscribe(server)
            try await f.emit(150)
            try await running([f.dispatcher(concurrency: 16), f.dispatcher(concurrency: 16), f.dispatcher(concurrency: 16)]) {
                try await until(.seconds(20)) { try await f.count(status: "delivered") == 150 }
            }
            let ids = server.requests.compactMap { $0.header("webhook-id") }
            #expect(ids.count == 150)
            #expect(Set(ids).count == 150)
            try await server.shutdown()
        }
    }

    @Test func anOpenCircuitPostponesWithoutSpendingAttempts() async throws {
        try await withFixture { f in
            let server = try await LoopbackHTTPServer.start(fallback: .respond(status: 500))
            _ = try await f.subscribe(server)
            try await f.emit(3)
            let breakers = CircuitBreakers(configuration: .init(failureThreshold: 1, coolDown: .seconds(60)))
            try await running([f.dispatcher(concurrency: 1, breakers: breakers)]) {
                try await until {
                    try await f.database.query(
                        "SELECT count(*) FROM deliveries WHERE attempt_count = 0 AND next_attempt_at > now() + interval '30 seconds'",
                        logger: logger)[0].decode(Int.self) == 2
                }
            }
            #expect(server.requests.count == 1)
            let attempts = try await f.database.query("SELECT count(*) FROM delivery_attempts", logger: logger)[0].decode(Int.self)
            #expect(attempts == 1)
            try await server.shutdown()
        }
    }

    @Test func queuedTwilioCallbacksAreSignedWithTheAccountsToken() async throws {
        try await withFixture { f in
            let server = try await LoopbackHTTPServer.start()
            let url = "http://127.0.0.1:\(server.port)/status?room=1"
            let parameters = [("RoomSid", "RM123"), ("StatusCallbackEvent", "room-ended")]
            let sid = try await f.database.withTransaction(logger: logger) { connection in
                try await TwilioCallback.enqueue(
                    account: f.main.sid, type: "room.status_callback", url: url + "#rc=1", method: .post, parameters: parameters,
                    on: connection, logger: logger)
            }
            f.outbox.committed()
            try await running([f.dispatcher()]) {
                try await until { try await f.count(status: "delivered") == 1 }
            }
            let request = try #require(server.requests.first)
            let signature = try #require(request.header("X-Twilio-Signature"))
            #expect(TwilioSignature.isValid(signature: signature, url: url, formParameters: parameters, authToken: f.main.authToken))
            #expect(request.header("I-Twilio-Idempotency-Token") == sid.rawValue)
            #expect(String(decoding: request.body, as: UTF8.self) == "RoomSid=RM123&StatusCallbackEvent=room-ended")
            try await server.shutdown()
        }
    }

    @Test func synchronousCallbacksReturnTheAnswer() async throws {
        try await withFixture { f in
            let twiml = "<Response><Message>hi</Message></Response>"
            let server = try await LoopbackHTTPServer.start(fallback: .respond(status: 200, headers: [("Content-Type", "text/xml")], body: Array(twiml.utf8)))
            let url = "http://127.0.0.1:\(server.port)/sms"
            let result = await TwilioCallback.send(
                url: url, method: .get, parameters: [("Body", "hello")], authToken: f.main.authToken, idempotencyToken: "SM1",
                client: f.client)
            #expect(result.statusCode == 200)
            #expect(String(decoding: result.body, as: UTF8.self) == twiml)
            let request = try #require(server.requests.first)
            #expect(request.uri == "/sms?Body=hello")
            #expect(TwilioSignature.isValid(
                signature: request.header("X-Twilio-Signature") ?? "", url: url + "?Body=hello", formParameters: [], authToken: f.main.authToken))
            try await server.shutdown()
        }
    }
}
