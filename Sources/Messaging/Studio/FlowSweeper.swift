import Flows
import Foundation
import Logging
import Platform
import PostgresNIO

/// Moves on executions whose wait is over: replies that did not come in time (`timeout`), messages that failed while
/// waiting (`deliveryFailure`), HTTP requests whose worker's lease ran out (made again: the worker died), and
/// executions past their lifetime (ended). Every gateway sweeps twice a second (a `PeriodicService`); the engine's row
/// lock and effect sequence make each move happen once.
public struct FlowSweeper: Sendable {
    let engine: FlowEngine
    let logger: Logger

    /// Executions handled per kind and round.
    static let batchSize = 200

    public init(engine: FlowEngine, logger: Logger) {
        self.engine = engine
        self.logger = logger
    }

    /// One round.
    public func sweep() async throws {
        let database = engine.database
        // Expiry wins: a reply timeout is capped at the lifetime, so an execution due both ways has expired.
        for row in try await database.query(
            "SELECT sid FROM flow_executions WHERE status = 'active' AND expires_at <= now() LIMIT \(Self.batchSize)", logger: logger)
        {
            guard let sid = SID(try row.decode(String.self)) else { continue }
            try await engine.end(sid, reason: "execution expired", logger: logger)
        }
        for row in try await database.query(
            """
            SELECT sid, effect_sequence FROM flow_executions
            WHERE status = 'active' AND waiting = 'reply' AND wake_at <= now() AND expires_at > now() ORDER BY wake_at LIMIT \(Self.batchSize)
            """, logger: logger)
        {
            let (sid, sequence) = try row.decode((String, Int).self)
            guard let sid = SID(sid) else { continue }
            try await engine.resume(sid, sequence: sequence, with: .replyTimedOut, logger: logger)
        }
        for row in try await database.query(
            """
            SELECT e.sid, e.effect_sequence, m.status FROM flow_executions e JOIN messages m ON m.sid = e.waiting_message_sid
            WHERE e.status = 'active' AND e.waiting = 'reply' AND m.status IN ('failed', 'undelivered') LIMIT \(Self.batchSize)
            """, logger: logger)
        {
            let (sid, sequence, status) = try row.decode((String, Int, String).self)
            guard let sid = SID(sid) else { continue }
            try await engine.resume(sid, sequence: sequence, with: .deliveryFailed(status: status), logger: logger)
        }
        // Taking over a lease moves it on first, so one sweeper makes the request.
        for row in try await database.query(
            """
            UPDATE flow_executions SET wake_at = now() + make_interval(secs => \(FlowExecutionStore.httpLeaseSeconds))
            WHERE sid IN (
                SELECT sid FROM flow_executions WHERE status = 'active' AND waiting = 'http' AND wake_at <= now()
                ORDER BY wake_at LIMIT \(Self.batchSize) FOR UPDATE SKIP LOCKED)
            RETURNING sid, state
            """, logger: logger)
        {
            let (sid, state) = try row.decode((String, String).self)
            guard let sid = SID(sid), let execution = FlowExecution(json: state), let pending = execution.pending,
                case .httpRequest(let request) = pending.effect
            else { continue }
            Task { await engine.performHTTP(request, for: sid, sequence: pending.sequence) }
        }
    }
}
