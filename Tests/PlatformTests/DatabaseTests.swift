import Foundation
import Platform
import PostgresNIO
import TestSupport
import Testing

@Suite struct DatabaseTests {
    let logger = TestDatabase.logger
    struct DomainError: Error, Equatable {}

    static func count(_ table: String, _ database: Database) async throws -> Int {
        try await database.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), logger: TestDatabase.logger)[0]
            .decode(Int.self)
    }

    @Test func transactionCommitsWhenTheBodyReturns() async throws {
        try await TestDatabase.withFresh { database in
            try await database.query("CREATE TABLE t (id integer)", logger: logger)
            let value = try await database.withTransaction(logger: logger) { connection in
                try await connection.query("INSERT INTO t VALUES (1)", logger: logger)
                try await connection.query("INSERT INTO t VALUES (2)", logger: logger)
                return 42
            }
            #expect(value == 42)
            #expect(try await Self.count("t", database) == 2)
        }
    }

    @Test func transactionRollsBackAndRethrowsTheBodysError() async throws {
        try await TestDatabase.withFresh { database in
            try await database.query("CREATE TABLE t (id integer)", logger: logger)
            await #expect(throws: DomainError()) {
                try await database.withTransaction(logger: logger) { connection in
                    try await connection.query("INSERT INTO t VALUES (1)", logger: logger)
                    throw DomainError()
                }
            }
            await #expect(throws: APIError.notFound("/x")) {
                try await database.withTransaction(logger: logger) { _ in throw APIError.notFound("/x") }
            }
            #expect(try await Self.count("t", database) == 0)
            // The pooled connection is usable afterwards (no transaction left open on it).
            for _ in 0..<6 { try await database.query("INSERT INTO t VALUES (3)", logger: logger) }
            #expect(try await Self.count("t", database) == 6)
        }
    }

    @Test func advisoryLockSerialisesHolders() async throws {
        let endpoint = try await TestDatabase.freshEndpoint()
        let inside = Locked((current: 0, most: 0))
        let logger = logger
        @Sendable func holdWithOwnPool() async throws {
            try await Database.withTemporaryPool(endpoint: endpoint, logger: logger) { database in
                try await database.withAdvisoryLock(4242, logger: logger) { connection in
                    inside.withLock { $0.current += 1; $0.most = max($0.most, $0.current) }
                    try await connection.query("SELECT pg_sleep(0.05)", logger: logger)
                    inside.withLock { $0.current -= 1 }
                }
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { try await holdWithOwnPool() } }
            try await group.waitForAll()
        }
        #expect(inside.value.most == 1)
    }

    @Test func advisoryLockIsReleasedWhenTheBodyThrows() async throws {
        try await TestDatabase.withFresh { database in
            await #expect(throws: DomainError()) {
                try await database.withAdvisoryLock(4343, logger: logger) { _ in throw DomainError() }
            }
            // Another session can take it at once.
            let rows = try await Database.withTemporaryPool(endpoint: database.endpoint, logger: logger) { other in
                try await other.query("SELECT pg_try_advisory_lock(4343)", logger: TestDatabase.logger)
            }
            #expect(try rows[0].decode(Bool.self))
        }
    }
}
