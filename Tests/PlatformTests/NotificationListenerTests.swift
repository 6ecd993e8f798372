import Foundation
import Platform
import PostgresNIO
import TestSupport
import Testing

@Suite struct NotificationListenerTests {
    let logger = TestDatabase.logger

    @Test func deliversPayloadsAndReconnectsAfterLosingItsConnection() async throws {
        try await TestDatabase.withFresh { database in
            let listener = NotificationListener(endpoint: database.endpoint, logger: logger)
            let received = Locked<[String]>([])
            let otherChannel = Locked<[String]>([])
            let connections = Locked(0)
            listener.on("parley_test") { payload in received.withLock { $0.append(payload) } }
            listener.on("parley_other") { payload in otherChannel.withLock { $0.append(payload) } }
            listener.onResynchronize { connections.withLock { $0 += 1 } }

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await listener.run() }
                defer { group.cancelAll() }
                try #require(await eventually(timeout: .seconds(20)) { connections.value == 1 }, "the listener never connected")

                try await database.query("SELECT pg_notify('parley_test', 'one')", logger: logger)
                try await database.query("SELECT pg_notify('parley_other', 'elsewhere')", logger: logger)
                try await database.query("SELECT pg_notify('parley_unheard', 'nobody')", logger: logger)
                try await database.query("SELECT pg_notify('parley_test', 'two')", logger: logger)
                #expect(await eventually { received.value == ["one", "two"] })
                #expect(otherChannel.value == ["elsewhere"])

                // Kill the listener's backend: it must reconnect, resynchronise and hear new notifications.
                let terminated = try await database.query(
                    """
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'
                    """, logger: logger)
                #expect(terminated.count == 1)
                try #require(await eventually(timeout: .seconds(20)) { connections.value == 2 }, "the listener never reconnected")
                try await database.query("SELECT pg_notify('parley_test', 'three')", logger: logger)
                #expect(await eventually { received.value == ["one", "two", "three"] })
                #expect(connections.value == 2)
            }
        }
    }

    @Test func runReturnsAtOnceWithoutHandlers() async throws {
        let listener = NotificationListener(
            endpoint: DatabaseEndpoint(address: .unixSocket(path: "/nonexistent/.s.PGSQL.5432"), username: "x", database: "x"),
            logger: logger)
        try await withTimeout(.seconds(5), "run without handlers") { try await listener.run() }
    }
}
