import Flows
import Foundation
import Logging
import Platform
import PostgresNIO

/// The engine's writes to `flow_executions` and `flow_steps`, on its transaction's connection.
enum FlowExecutionStore {
    /// What a stored execution row says about itself.
    struct Locked {
        let sid: SID
        let account: SID
        let flow: SID
        let revision: Int
        let execution: FlowExecution
    }

    /// Where a new execution comes from.
    struct Origin {
        let sid: SID
        let account: SID
        let flow: SID
        let revision: Int
        let contactSid: String
        let initiatedBy: String
        let lifetimeSeconds: Int
    }

    /// How long a worker may take over an HTTP request before another takes it over (10 s request + margin).
    static let httpLeaseSeconds = 30

    /// Inserts a new execution as it stands now; nil when the contact already has an active execution of the flow.
    static func insert(_ origin: Origin, _ execution: FlowExecution, on connection: PostgresConnection, logger: Logger) async throws -> Date? {
        let waiting = Waiting(execution)
        let context = execution.context
        let rows = try await connection.query(
            """
            INSERT INTO flow_executions (sid, account_sid, flow_sid, revision, contact_sid, contact_address, flow_address, initiated_by,
                status, state, waiting, wake_at, waiting_message_sid, effect_sequence, expires_at)
            SELECT \(origin.sid.rawValue), \(origin.account.rawValue), \(origin.flow.rawValue), \(origin.revision), \(origin.contactSid),
                \(context.contactAddress), \(context.flowAddress), \(origin.initiatedBy), \(execution.hasEnded ? "ended" : "active"),
                \(execution.json), \(waiting.kind), now() + make_interval(secs => \(waiting.seconds)), \(waiting.messageSid),
                \(execution.effectSequence), now() + make_interval(secs => \(origin.lifetimeSeconds))
            WHERE NOT EXISTS (
                SELECT 1 FROM flow_executions WHERE flow_sid = \(origin.flow.rawValue) AND contact_address = \(context.contactAddress)
                  AND status = 'active')
            ON CONFLICT DO NOTHING
            RETURNING date_created
            """, logger: logger
        ).collect()
        return try rows.first?.decode(Date.self)
    }

    /// Locks an active execution for its next step; nil when it has ended or does not exist.
    static func lock(_ sid: SID, on connection: PostgresConnection, logger: Logger) async throws -> Locked? {
        let rows = try await connection.query(
            """
            SELECT account_sid, flow_sid, revision, state FROM flow_executions WHERE sid = \(sid.rawValue) AND status = 'active' FOR UPDATE
            """, logger: logger
        ).collect()
        guard let row = rows.first else { return nil }
        let (account, flow, revision, state) = try row.decode((String, String, Int, String).self)
        guard let accountSid = SID(account), let flowSid = SID(flow), let execution = FlowExecution(json: state) else {
            throw CorruptRowError(table: "flow_executions", key: sid.rawValue)
        }
        return Locked(sid: sid, account: accountSid, flow: flowSid, revision: revision, execution: execution)
    }

    /// Saves a locked execution's new state.
    static func save(_ sid: SID, _ execution: FlowExecution, on connection: PostgresConnection, logger: Logger) async throws {
        let waiting = Waiting(execution)
        try await connection.query(
            """
            UPDATE flow_executions SET status = \(execution.hasEnded ? "ended" : "active"), state = \(execution.json),
                waiting = \(waiting.kind), wake_at = now() + make_interval(secs => \(waiting.seconds)),
                waiting_message_sid = \(waiting.messageSid), effect_sequence = \(execution.effectSequence), date_updated = now()
            WHERE sid = \(sid.rawValue)
            """, logger: logger)
    }

    /// Appends steps to an execution, in order, in one statement.
    static func insert(
        _ steps: [StepRecord], execution: SID, flow: SID, account: SID, on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !steps.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO flow_steps (sid, account_sid, execution_sid, flow_sid, name, type, transitioned_from, transitioned_to, context)
            SELECT s.sid, \(account.rawValue), \(execution.rawValue), \(flow.rawValue), s.name, s.type, s.from_widget, s.to_widget, s.context
            FROM unnest(\(steps.map { _ in SID.generate(.flowStep).rawValue }), \(steps.map(\.event)), \(steps.map(\.type)),
                \(steps.map(\.widget)), \(steps.map { $0.next ?? "Ended" }), \(steps.map(\.context.jsonText)))
                WITH ORDINALITY AS s (sid, name, type, from_widget, to_widget, context, position)
            ORDER BY s.position
            """, logger: logger)
    }

    /// What an execution waits for, as the row's `waiting`, `wake_at` (seconds from now) and `waiting_message_sid`.
    struct Waiting {
        var kind: String?
        var seconds: Double?
        var messageSid: String?

        init(_ execution: FlowExecution) {
            guard !execution.hasEnded, let pending = execution.pending else { return }
            switch pending.effect {
            case .httpRequest:
                kind = "http"
                seconds = Double(FlowExecutionStore.httpLeaseSeconds)
            case .sendAndWait:
                guard let sent = pending.sent, let deadline = pending.replyDeadline else { return }
                kind = "reply"
                seconds = max(0, deadline.timeIntervalSinceNow)
                messageSid = sent.sid
            case .sendMessage, .call:
                return
            }
        }
    }
}
