import Foundation
import Platform
import PostgresNIO
import TestSupport
import Testing

@Suite struct IdempotencyStoreTests {
    let logger = TestDatabase.logger
    let one = Data("fingerprint one".utf8)
    let two = Data("fingerprint two".utf8)

    /// Reserves `key`, requiring that the reservation is granted.
    func reserved(_ store: IdempotencyStore, _ account: SID, _ key: String, _ fingerprint: Data) async throws -> IdempotencyStore.Holder {
        let outcome = try await store.reserve(account: account, key: key, fingerprint: fingerprint, logger: logger)
        guard case .reserved(let holder) = outcome else {
            Issue.record("expected a reservation for \(key), got \(outcome)")
            throw CancellationError()
        }
        return holder
    }

    func withStore(_ body: @Sendable (IdempotencyStore, SID, Database) async throws -> Void) async throws {
        try await TestDatabase.withFresh { database in
            let account = try await AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
                .create(parent: nil, friendlyName: "Main", logger: TestDatabase.logger)
            try await body(IdempotencyStore(database: database), account.sid, database)
        }
    }

    @Test func reserveThenCompleteThenReplay() async throws {
        try await withStore { store, account, _ in
            let holder = try await reserved(store, account, "k1", one)
            #expect(try await store.reserve(account: account, key: "k1", fingerprint: one, logger: logger) == .inFlight)
            #expect(try await store.reserve(account: account, key: "k1", fingerprint: two, logger: logger) == .mismatch)

            let response = IdempotencyStore.StoredResponse(
                status: 201, contentType: "application/json", body: Data(#"{"sid":"AC…","status":"active"}"#.utf8))
            try await store.complete(holder, response: response, logger: logger)
            for _ in 0..<2 {
                #expect(try await store.reserve(account: account, key: "k1", fingerprint: one, logger: logger) == .replay(response))
            }
            #expect(try await store.reserve(account: account, key: "k1", fingerprint: two, logger: logger) == .mismatch)
            // Releasing a completed key changes nothing.
            try await store.release(holder, logger: logger)
            #expect(try await store.reserve(account: account, key: "k1", fingerprint: one, logger: logger) == .replay(response))
        }
    }

    @Test func replayKeepsEmptyBodyAndMissingContentType() async throws {
        try await withStore { store, account, _ in
            let holder = try await reserved(store, account, "empty", one)
            let response = IdempotencyStore.StoredResponse(status: 204, contentType: nil, body: Data())
            try await store.complete(holder, response: response, logger: logger)
            #expect(try await store.reserve(account: account, key: "empty", fingerprint: one, logger: logger) == .replay(response))
        }
    }

    @Test func releaseLetsTheKeyBeReservedAgain() async throws {
        try await withStore { store, account, _ in
            try await store.release(try await reserved(store, account, "k", one), logger: logger)
            _ = try await reserved(store, account, "k", two)
            #expect(try await store.reserve(account: account, key: "k", fingerprint: one, logger: logger) == .mismatch)
            #expect(try await store.reserve(account: account, key: "k", fingerprint: two, logger: logger) == .inFlight)
        }
    }

    @Test func expiredLeaseCanBeTakenOver() async throws {
        try await withStore { store, account, database in
            _ = try await reserved(store, account, "k", one)
            try await database.query(
                "UPDATE idempotency_keys SET lease_expires_at = now() - interval '1 second' WHERE key = 'k'", logger: logger)
            _ = try await reserved(store, account, "k", two)
            // The new holder has a fresh lease and its own fingerprint.
            #expect(try await store.reserve(account: account, key: "k", fingerprint: two, logger: logger) == .inFlight)
            #expect(try await store.reserve(account: account, key: "k", fingerprint: one, logger: logger) == .mismatch)
            let leaseLeft = try await database.query(
                "SELECT extract(epoch FROM lease_expires_at - now())::float8 FROM idempotency_keys WHERE key = 'k'", logger: logger
            )[0].decode(Double.self)
            #expect(leaseLeft > 30 && leaseLeft <= 61)
        }
    }

    /// After a takeover, the previous holder (slow, not dead) still calls `complete` or `release`.
    /// Neither may touch the new holder's reservation: otherwise a retry of the new request is
    /// answered with the response to other parameters, or the new request can run twice.
    @Test func staleHolderCannotCompleteOrReleaseATakenOverReservation() async throws {
        try await withStore { store, account, database in
            let expireLease = "UPDATE idempotency_keys SET lease_expires_at = now() - interval '1 second'"
            let firstA = try await reserved(store, account, "a", one)
            try await database.query(PostgresQuery(unsafeSQL: expireLease + " WHERE key = 'a'"), logger: logger)
            _ = try await reserved(store, account, "a", two)
            let stale = IdempotencyStore.StoredResponse(status: 201, contentType: "application/json", body: Data("for one".utf8))
            try await store.complete(firstA, response: stale, logger: logger)
            #expect(
                try await store.reserve(account: account, key: "a", fingerprint: two, logger: logger) != .replay(stale),
                "a request with fingerprint two was answered with the response to fingerprint one")

            let firstB = try await reserved(store, account, "b", one)
            try await database.query(PostgresQuery(unsafeSQL: expireLease + " WHERE key = 'b'"), logger: logger)
            _ = try await reserved(store, account, "b", one)
            try await store.release(firstB, logger: logger)  // the first holder gives up
            #expect(
                try await store.reserve(account: account, key: "b", fingerprint: one, logger: logger) == .inFlight,
                "the second holder's reservation was dropped by the first holder")
        }
    }

    @Test func responsesAreKeptForTheRetentionPeriodOnly() async throws {
        try await withStore { store, account, database in
            let response = IdempotencyStore.StoredResponse(status: 200, contentType: "application/json", body: Data("{}".utf8))
            for key in ["old", "recent"] {
                try await store.complete(try await reserved(store, account, key, one), response: response, logger: logger)
            }
            try await database.query(
                "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old'", logger: logger)
            // An expired response no longer blocks the key, whatever the parameters.
            _ = try await reserved(store, account, "old", two)

            try await database.query(
                "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old'", logger: logger)
            try await store.purgeExpired(logger: logger)
            let keys = try await database.query("SELECT key FROM idempotency_keys ORDER BY key", logger: logger)
                .map { try $0.decode(String.self) }
            #expect(keys == ["recent"])
            #expect(try await store.reserve(account: account, key: "recent", fingerprint: one, logger: logger) == .replay(response))
        }
    }

    @Test func keysAreScopedByAccount() async throws {
        try await withStore { store, account, database in
            let other = try await AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
                .create(parent: nil, friendlyName: "Other", logger: logger).sid
            let mine = try await reserved(store, account, "shared", one)
            let theirs = try await reserved(store, other, "shared", two)
            let response = IdempotencyStore.StoredResponse(status: 201, contentType: "text/plain", body: Data("mine".utf8))
            try await store.complete(mine, response: response, logger: logger)
            #expect(try await store.reserve(account: other, key: "shared", fingerprint: two, logger: logger) == .inFlight)
            try await store.release(theirs, logger: logger)
            #expect(try await store.reserve(account: account, key: "shared", fingerprint: one, logger: logger) == .replay(response))
        }
    }

    @Test func concurrentReservationsHaveOneWinner() async throws {
        try await withStore { store, account, _ in
            let fingerprint = one
            let outcomes = try await withThrowingTaskGroup(of: IdempotencyStore.Reservation.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await store.reserve(account: account, key: "race", fingerprint: fingerprint, logger: TestDatabase.logger)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { if case .reserved = $0 { true } else { false } }.count == 1)
            #expect(outcomes.filter { $0 == .inFlight }.count == 11)
        }
    }
}
