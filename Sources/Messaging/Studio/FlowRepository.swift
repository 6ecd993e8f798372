import Flows
import Foundation
import Logging
import Platform
import PostgresNIO

/// Flows and their revisions. Every call is scoped by the account.
public struct FlowRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        f.sid, f.account_sid, r.revision, r.friendly_name, r.status, r.definition, r.commit_message, f.date_created,
        r.date_created AS date_updated, f.seq
        """

    /// Creates a flow at revision 1. The definition must have been checked.
    public func create(_ fields: FlowFields, account: SID, logger: Logger) async throws -> FlowRevision {
        let sid = SID.generate(.flow)
        let published: Int? = fields.status == .published ? 1 : nil
        let rows = try await database.query(
            """
            WITH f AS (
                INSERT INTO flows (sid, account_sid, revision, published_revision) VALUES (\(sid.rawValue), \(account.rawValue), 1, \(published))
                RETURNING sid, account_sid, date_created, seq),
            r AS (
                INSERT INTO flow_revisions (flow_sid, account_sid, revision, friendly_name, status, definition, commit_message)
                VALUES (\(sid.rawValue), \(account.rawValue), 1, \(fields.friendlyName ?? ""), \(fields.status.rawValue),
                    \(fields.definition ?? "{}"), \(fields.commitMessage))
                RETURNING revision, friendly_name, status, definition, commit_message, date_created)
            SELECT \(unescaped: Self.columns) FROM f, r
            """, logger: logger)
        guard let row = rows.first else { throw CorruptRowError(table: "flows", key: sid.rawValue) }
        return try Self.revision(row).item
    }

    /// Makes a new revision with what `fields` sets and the rest of the latest one. Nil: no such flow.
    public func update(_ sid: SID, _ fields: FlowFields, account: SID, logger: Logger) async throws -> FlowRevision? {
        let published = fields.status == .published
        // The flow's row is locked first, so the statement that copies the latest revision sees a concurrent update's.
        let rows = try await database.withTransaction(logger: logger) { connection in
            let flow = try await connection.query(
                "SELECT 1 FROM flows WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue) FOR UPDATE", logger: logger
            ).collect()
            guard !flow.isEmpty else { return [PostgresRow]() }
            return try await connection.query(
                """
                WITH latest AS (
                    SELECT r.* FROM flows f JOIN flow_revisions r ON r.flow_sid = f.sid AND r.revision = f.revision
                    WHERE f.sid = \(sid.rawValue) AND f.account_sid = \(account.rawValue)),
                f AS (
                    UPDATE flows SET revision = revision + 1, date_updated = now(),
                        published_revision = CASE WHEN \(published) THEN revision + 1 ELSE published_revision END
                    WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)
                    RETURNING sid, account_sid, revision, date_created, seq),
                r AS (
                    INSERT INTO flow_revisions (flow_sid, account_sid, revision, friendly_name, status, definition, commit_message)
                    SELECT f.sid, f.account_sid, f.revision, coalesce(\(fields.friendlyName), latest.friendly_name), \(fields.status.rawValue),
                        coalesce(\(fields.definition), latest.definition), \(fields.commitMessage)
                    FROM f, latest
                    RETURNING revision, friendly_name, status, definition, commit_message, date_created)
                SELECT \(unescaped: Self.columns) FROM f, r
                """, logger: logger
            ).collect()
        }
        return try rows.first.map(Self.revision)?.item
    }

    /// A flow at its latest revision.
    public func find(_ sid: SID, account: SID, logger: Logger) async throws -> FlowRevision? {
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns) FROM flows f JOIN flow_revisions r ON r.flow_sid = f.sid AND r.revision = f.revision
            WHERE f.sid = \(sid.rawValue) AND f.account_sid = \(account.rawValue)
            """, logger: logger)
        return try rows.first.map(Self.revision)?.item
    }

    /// The revision an execution with `contact` starting now runs: the latest published one (the latest when none is),
    /// or the latest for one of the flow's test users.
    public func runnableRevision(_ sid: SID, account: SID, contact: String, logger: Logger) async throws -> FlowRevision? {
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns) FROM flows f
            JOIN flow_revisions r ON r.flow_sid = f.sid
                AND r.revision = CASE WHEN \(contact) = ANY (f.test_users) THEN f.revision ELSE coalesce(f.published_revision, f.revision) END
            WHERE f.sid = \(sid.rawValue) AND f.account_sid = \(account.rawValue)
            """, logger: logger)
        return try rows.first.map(Self.revision)?.item
    }

    /// The flow's test users: contacts whose executions run its latest revision, draft or not. Nil: no such flow.
    public func testUsers(_ sid: SID, account: SID, logger: Logger) async throws -> [String]? {
        let rows = try await database.query(
            "SELECT test_users FROM flows WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)", logger: logger)
        return try rows.first?.decode([String].self)
    }

    /// Replaces the flow's test users. False: no such flow.
    public func setTestUsers(_ users: [String], of sid: SID, account: SID, logger: Logger) async throws -> Bool {
        let rows = try await database.query(
            """
            UPDATE flows SET test_users = \(users), date_updated = now() WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)
            RETURNING sid
            """, logger: logger)
        return !rows.isEmpty
    }

    /// The account's flows, oldest first.
    public func list(account: SID, cursor: PageCursor, pageSize: Int, logger: Logger) async throws -> Page<FlowRevision> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns) FROM flows f JOIN flow_revisions r ON r.flow_sid = f.sid AND r.revision = f.revision
            WHERE f.account_sid = \(account.rawValue) AND f.seq > \(bounds.after) AND f.seq < \(bounds.before)
            ORDER BY f.seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(Self.revision), pageSize: pageSize, cursor: cursor)
    }

    /// A flow's revisions, oldest first (the revision number is the page sequence).
    public func revisions(_ sid: SID, account: SID, cursor: PageCursor, pageSize: Int, logger: Logger) async throws -> Page<FlowRevision> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns.replacingOccurrences(of: "f.seq", with: "r.revision::bigint AS seq"))
            FROM flows f JOIN flow_revisions r ON r.flow_sid = f.sid
            WHERE f.sid = \(sid.rawValue) AND f.account_sid = \(account.rawValue)
              AND r.revision > \(bounds.after) AND r.revision < \(bounds.before)
            ORDER BY r.revision \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(Self.revision), pageSize: pageSize, cursor: cursor)
    }

    /// One revision: a number, `LatestRevision` or `LatestPublished`.
    public func revision(_ sid: SID, _ selector: String, account: SID, logger: Logger) async throws -> FlowRevision? {
        let number: Int?
        switch selector {
        case "LatestRevision": number = nil
        case "LatestPublished":
            let rows = try await database.query(
                """
                SELECT \(unescaped: Self.columns) FROM flows f JOIN flow_revisions r ON r.flow_sid = f.sid AND r.revision = f.published_revision
                WHERE f.sid = \(sid.rawValue) AND f.account_sid = \(account.rawValue)
                """, logger: logger)
            return try rows.first.map(Self.revision)?.item
        default:
            guard let value = Int(selector), value > 0 else { return nil }
            number = value
        }
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns) FROM flows f JOIN flow_revisions r ON r.flow_sid = f.sid
                AND r.revision = coalesce(\(number), f.revision)
            WHERE f.sid = \(sid.rawValue) AND f.account_sid = \(account.rawValue)
            """, logger: logger)
        return try rows.first.map(Self.revision)?.item
    }

    /// A revision's definition, for running it (the caller has the execution's account).
    func definition(_ sid: SID, revision: Int, logger: Logger) async throws -> String? {
        let rows = try await database.query(
            "SELECT definition FROM flow_revisions WHERE flow_sid = \(sid.rawValue) AND revision = \(revision)", logger: logger)
        return try rows.first?.decode(String.self)
    }

    /// Deletes a flow with its revisions, executions and steps. False: no such flow.
    public func delete(_ sid: SID, account: SID, logger: Logger) async throws -> Bool {
        let rows = try await database.query(
            "DELETE FROM flows WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue) RETURNING sid", logger: logger)
        return !rows.isEmpty
    }

    static func revision(_ row: PostgresRow) throws -> (sequence: Int64, item: FlowRevision) {
        let row = row.makeRandomAccess()
        let sid = try row.sid("sid", table: "flows")
        guard let status = FlowStatus(rawValue: try row.value("status")) else { throw CorruptRowError(table: "flow_revisions", key: sid.rawValue) }
        let revision = FlowRevision(
            flowSid: sid, accountSid: try row.sid("account_sid", table: "flows"), revision: try row.value("revision"),
            friendlyName: try row.value("friendly_name"), status: status, definition: try row.value("definition"),
            commitMessage: try row.value("commit_message"), dateCreated: try row.value("date_created"),
            dateUpdated: try row.value("date_updated"))
        return (try row.value("seq"), revision)
    }
}
