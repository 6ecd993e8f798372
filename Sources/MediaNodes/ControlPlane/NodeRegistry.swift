import Foundation
import Logging
import Platform
import PostgresNIO

/// The media nodes' rows: registration and heartbeats (by the nodes), listing and draining (by the operator),
/// and declaring silent nodes dead (by the gateway's sweeper).
public struct NodeRegistry: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// What a node advertises when it registers.
    public struct Advertisement: Sendable {
        public var name: String
        public var signalingURL: String
        public var mediaHost: String
        public var mediaPort: Int
        public var capacity: Int
        public var version: String
        public init(name: String, signalingURL: String, mediaHost: String, mediaPort: Int, capacity: Int, version: String) {
            self.name = name
            self.signalingURL = signalingURL
            self.mediaHost = mediaHost
            self.mediaPort = mediaPort
            self.capacity = capacity
            self.version = version
        }
    }

    /// Adds a node, active, with a fresh SID (a restarted node is a new node: its old rooms moved on).
    public func register(_ node: Advertisement, logger: Logger) async throws -> SID {
        let sid = SID.generate(.mediaNode)
        try await database.query(
            """
            INSERT INTO media_nodes (sid, name, signaling_url, media_host, media_port, capacity, version, status)
            VALUES (\(sid.rawValue), \(node.name), \(node.signalingURL), \(node.mediaHost), \(node.mediaPort), \(node.capacity),
                    \(node.version), 'active')
            """, logger: logger)
        return sid
    }

    /// Records a heartbeat with the node's load and returns its status as the control plane sees it
    /// (`draining` when the operator asked, `dead` when it was declared dead meanwhile). It runs on a
    /// connection of its own: a pool busy with the node's work must not delay it past the failure threshold.
    public func heartbeat(_ node: SID, load: Int, on connection: PostgresConnection, logger: Logger) async throws -> MediaNodeStatus? {
        let rows = try await connection.query(
            """
            UPDATE media_nodes SET last_heartbeat_at = clock_timestamp(), load = \(load)
            WHERE sid = \(node.rawValue) RETURNING status
            """, logger: logger
        ).collect()
        return try rows.first.flatMap { MediaNodeStatus(rawValue: try $0.decode(String.self)) }
    }

    /// Sets a node's status; `draining` only applies to an active node. Returns the node, or `nil` if unknown.
    @discardableResult
    public func setStatus(_ status: MediaNodeStatus, of node: SID, logger: Logger) async throws -> MediaNode? {
        try await database.query(
            """
            UPDATE media_nodes SET status = \(status.rawValue), date_updated = now()
            WHERE sid = \(node.rawValue) AND (\(status.rawValue) <> 'draining' OR status IN ('active', 'draining'))
            """, logger: logger)
        return try await find(node, logger: logger)
    }

    public func find(_ node: SID, logger: Logger) async throws -> MediaNode? {
        let rows = try await database.query("\(unescaped: Self.select) WHERE n.sid = \(node.rawValue)", logger: logger)
        return try rows.first.map { try Self.decode($0).item }
    }

    /// Nodes, newest registration last; `status` filters.
    public func list(status: MediaNodeStatus?, cursor: PageCursor, pageSize: Int, logger: Logger) async throws -> Page<MediaNode> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            \(unescaped: Self.select)
            WHERE (\(status?.rawValue)::text IS NULL OR n.status = \(status?.rawValue))
              AND n.seq > \(bounds.after) AND n.seq < \(bounds.before)
            ORDER BY n.seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(Self.decode), pageSize: pageSize, cursor: cursor)
    }

    /// Marks `dead` every active or draining node silent for longer than `silence`; returns them.
    public func declareSilentNodesDead(silence: Duration, logger: Logger) async throws -> [SID] {
        let rows = try await database.query(
            """
            UPDATE media_nodes SET status = 'dead', date_updated = now()
            WHERE status IN ('active', 'draining') AND last_heartbeat_at < clock_timestamp() - make_interval(secs => \(silence.seconds))
            RETURNING sid
            """, logger: logger)
        return try rows.compactMap { SID(try $0.decode(String.self)) }
    }

    private static let select = """
        SELECT n.sid, n.name, n.signaling_url, n.media_host, n.media_port, n.capacity, n.load, n.version, n.status,
               n.last_heartbeat_at, n.date_created, n.date_updated, n.seq,
               (SELECT count(*) FROM rooms r WHERE r.node_sid = n.sid AND r.status = 'in-progress')::int4 AS room_count
        FROM media_nodes n
        """

    private static func decode(_ row: PostgresRow) throws -> (sequence: Int64, item: MediaNode) {
        let row = row.makeRandomAccess()
        let sid = try row.sid("sid", table: "media_nodes")
        guard let status = MediaNodeStatus(rawValue: try row.value("status")) else {
            throw CorruptRowError(table: "media_nodes", key: sid.rawValue)
        }
        return (try row.value("seq"), MediaNode(
            sid: sid, name: try row.value("name"), signalingURL: try row.value("signaling_url"), mediaHost: try row.value("media_host"),
            mediaPort: try row.value("media_port"), capacity: try row.value("capacity"), load: try row.value("load"),
            roomCount: try row.value("room_count"), version: try row.value("version"), status: status,
            lastHeartbeat: try row.value("last_heartbeat_at"), dateCreated: try row.value("date_created"),
            dateUpdated: try row.value("date_updated")))
    }
}
