import Logging
import Metrics
import PostgresNIO

/// The PostgreSQL pool every repository uses. It adds two things to `PostgresClient`: a pool-wait
/// metric, and unwrapping of `PostgresTransactionError` so domain errors thrown inside a
/// transaction reach the caller unchanged.
public struct Database: Sendable {
    /// The underlying pool; it is a `Service` and must be running for queries to complete.
    public let client: PostgresClient
    public let endpoint: DatabaseEndpoint
    private let poolWait = Timer(label: "parley_db_pool_wait_seconds")

    public init(endpoint: DatabaseEndpoint, maximumConnections: Int = 20, logger: Logger) throws {
        self.endpoint = endpoint
        self.client = PostgresClient(
            configuration: try endpoint.clientConfiguration(maximumConnections: maximumConnections),
            backgroundLogger: logger)
    }

    /// Leases a connection for `body`.
    public func withConnection<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let requested = ContinuousClock.now
        return try await client.withConnection { connection in
            poolWait.recordInterval(since: requested)
            return try await body(connection)
        }
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    /// The error `body` threw is rethrown as is.
    public func withTransaction<Result: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            do {
                return try await connection.withTransaction(logger: logger) { try await body($0) }
            } catch let error as PostgresTransactionError {
                throw error.closureError ?? error
            }
        }
    }

    /// Runs `body` while holding the session advisory lock `key`, serialising it across every process
    /// sharing the database. The lock is released on the same connection before it returns to the pool.
    public func withAdvisoryLock<Result: Sendable>(
        _ key: Int64, logger: Logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(key))", logger: logger)
            let result: Result
            do {
                result = try await body(connection)
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger)
            return result
        }
    }

    /// Runs a prepared statement (prepared once per connection, then only bound and executed: the
    /// server skips parsing and planning) and collects its rows. For queries on every request's path.
    /// PostgresNIO remembers a failed preparation for the life of the connection, so run prepared
    /// statements only once the schema they name exists (after migrations).
    public func execute<Statement: PostgresPreparedStatement>(
        _ statement: Statement, logger: Logger
    ) async throws -> [PostgresRow] where Statement.Row == PostgresRow {
        try await withConnection { connection in
            var rows: [PostgresRow] = []
            for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
            return rows
        }
    }

    /// Runs one statement on a pooled connection and collects its rows.
    @discardableResult
    public func query(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await withConnection { connection in
            try await connection.query(query, logger: logger).collect()
        }
    }
}

/// A prepared statement with text parameters whose rows the caller decodes itself.
public protocol TextParameterStatement: PostgresPreparedStatement where Row == PostgresRow {
    /// The values for `$1`, `$2`, … in order.
    var parameters: [String] { get }
}

extension TextParameterStatement {
    public func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: parameters.count)
        for parameter in parameters { bindings.append(parameter) }
        return bindings
    }

    public func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}

extension Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

extension PostgresConnection {
    /// For the rest of the current transaction, plans only index scans and nested loops.
    ///
    /// For statements that must touch a handful of rows through their keys however stale the table's
    /// statistics are: a queue table that grew by thousands of rows since it was last analysed otherwise
    /// gets plans that read and sort every row.
    public func planWithIndexesOnly(logger: Logger) async throws {
        try await query(
            """
            SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true),
                   set_config('enable_sort', 'off', true), set_config('enable_hashjoin', 'off', true),
                   set_config('enable_mergejoin', 'off', true)
            """, logger: logger)
    }
}
