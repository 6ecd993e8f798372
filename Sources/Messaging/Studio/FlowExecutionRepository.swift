import Flows
import Foundation
import Logging
import Platform
import PostgresNIO

/// Executions and their steps in PostgreSQL. Reads are scoped by account and flow; the engine's writes happen in
/// its transactions, on rows it has locked.
public struct FlowExecutionRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        sid, account_sid, flow_sid, revision, contact_sid, contact_address, initiated_by, status, state, date_created, date_updated, seq
        """

    /// An execution of the flow.
    public func find(_ sid: SID, flow: SID, account: SID, logger: Logger) async throws -> FlowExecutionRecord? {
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns) FROM flow_executions
            WHERE sid = \(sid.rawValue) AND flow_sid = \(flow.rawValue) AND account_sid = \(account.rawValue)
            """, logger: logger)
        return try rows.first.map(Self.execution)?.item
    }

    /// The flow's executions, oldest first, filtered by status and creation dates.
    public func list(
        flow: SID, account: SID, status: FlowExecutionStatus?, createdFrom: Date?, createdTo: Date?, cursor: PageCursor, pageSize: Int,
        logger: Logger
    ) async throws -> Page<FlowExecutionRecord> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns) FROM flow_executions
            WHERE flow_sid = \(flow.rawValue) AND account_sid = \(account.rawValue)
              AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
              AND (\(createdFrom)::timestamptz IS NULL OR date_created >= \(createdFrom))
              AND (\(createdTo)::timestamptz IS NULL OR date_created <= \(createdTo))
              AND seq > \(bounds.after) AND seq < \(bounds.before)
            ORDER BY seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(Self.execution), pageSize: pageSize, cursor: cursor)
    }

    /// Deletes an execution with its steps. False: no such execution.
    public func delete(_ sid: SID, flow: SID, account: SID, logger: Logger) async throws -> Bool {
        let rows = try await database.query(
            """
            DELETE FROM flow_executions WHERE sid = \(sid.rawValue) AND flow_sid = \(flow.rawValue) AND account_sid = \(account.rawValue)
            RETURNING sid
            """, logger: logger)
        return !rows.isEmpty
    }

    static let stepColumns = "sid, account_sid, flow_sid, execution_sid, name, type, transitioned_from, transitioned_to, context, date_created, seq"

    /// An execution's steps, oldest first.
    public func steps(execution: SID, flow: SID, account: SID, cursor: PageCursor, pageSize: Int, logger: Logger) async throws -> Page<FlowStepRecord> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.stepColumns) FROM flow_steps
            WHERE execution_sid = \(execution.rawValue) AND flow_sid = \(flow.rawValue) AND account_sid = \(account.rawValue)
              AND seq > \(bounds.after) AND seq < \(bounds.before)
            ORDER BY seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(Self.step), pageSize: pageSize, cursor: cursor)
    }

    /// One step of the execution.
    public func step(_ sid: SID, execution: SID, flow: SID, account: SID, logger: Logger) async throws -> FlowStepRecord? {
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.stepColumns) FROM flow_steps
            WHERE sid = \(sid.rawValue) AND execution_sid = \(execution.rawValue) AND flow_sid = \(flow.rawValue)
              AND account_sid = \(account.rawValue)
            """, logger: logger)
        return try rows.first.map(Self.step)?.item
    }

    static func execution(_ row: PostgresRow) throws -> (sequence: Int64, item: FlowExecutionRecord) {
        let row = row.makeRandomAccess()
        let sid = try row.sid("sid", table: "flow_executions")
        guard let status = FlowExecutionStatus(rawValue: try row.value("status")),
            let state = FlowExecution(json: try row.value("state", as: String.self))
        else { throw CorruptRowError(table: "flow_executions", key: sid.rawValue) }
        let record = FlowExecutionRecord(
            sid: sid, accountSid: try row.sid("account_sid", table: "flow_executions"), flowSid: try row.sid("flow_sid", table: "flow_executions"),
            revision: try row.value("revision"), contactSid: try row.value("contact_sid"), contactAddress: try row.value("contact_address"),
            initiatedBy: try row.value("initiated_by"), status: status, context: state.context.json,
            dateCreated: try row.value("date_created"), dateUpdated: try row.value("date_updated"))
        return (try row.value("seq"), record)
    }

    static func step(_ row: PostgresRow) throws -> (sequence: Int64, item: FlowStepRecord) {
        let row = row.makeRandomAccess()
        let sid = try row.sid("sid", table: "flow_steps")
        let step = FlowStepRecord(
            sid: sid, accountSid: try row.sid("account_sid", table: "flow_steps"), flowSid: try row.sid("flow_sid", table: "flow_steps"),
            executionSid: try row.sid("execution_sid", table: "flow_steps"), name: try row.value("name"), type: try row.value("type"),
            transitionedFrom: try row.value("transitioned_from"), transitionedTo: try row.value("transitioned_to"),
            context: JSONValue(parsing: try row.value("context", as: String.self)) ?? .object([:]), dateCreated: try row.value("date_created"))
        return (try row.value("seq"), step)
    }
}
