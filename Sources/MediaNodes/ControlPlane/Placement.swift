import Foundation
import Logging
import Platform
import PostgresNIO

/// Decides which media node hosts a room, in one transaction that locks the room row: concurrent joins of
/// one room wait for each other, so a room is placed once.
///
/// A room keeps its node while that node is healthy (active or draining, heartbeat fresher than
/// ``deadAfter``). Otherwise it moves to the healthy active node with the lowest load per capacity, where
/// load is its in-progress rooms plus its connected participants; participants connected on the old node
/// become `reconnecting` (they come back through the gateway).
public struct Placement: Sendable {
    let database: Database
    /// A node silent this long is not healthy (the sweeper declares it dead after the same time).
    public let deadAfter: Duration

    public init(database: Database, deadAfter: Duration = .seconds(3)) {
        self.database = database
        self.deadAfter = deadAfter
    }

    public struct Result: Sendable {
        public var node: SID
        public var signalingURL: String
        /// Whether this call put the room on `node` (first placement or a move).
        public var placed: Bool
    }

    /// The node hosting `room`, placing it first when needed.
    public func place(room: SID, account: SID, logger: Logger) async throws -> Result {
        try await database.withTransaction(logger: logger) { connection in
            try await place(room: room, account: account, on: connection, logger: logger)
        }
    }

    /// ``place(room:account:logger:)`` in the caller's transaction.
    public func place(room: SID, account: SID, on connection: PostgresConnection, logger: Logger) async throws -> Result {
        // The lock first, then the node: a join in the same statement would be re-checked after waiting
        // for the lock against the node row of the old snapshot (none, for a room placed meanwhile).
        let rows = try await connection.query(
            """
            SELECT status, node_sid FROM rooms WHERE sid = \(room.rawValue) AND account_sid = \(account.rawValue) FOR UPDATE
            """, logger: logger
        ).collect()
        guard let row = rows.first else { throw VideoError.roomNotFound(room.rawValue) }
        let (status, current) = try row.decode((String, String?).self)
        guard status == RoomStatus.inProgress.rawValue else { throw VideoError.roomCompleted }
        if let current, let sid = SID(current) {
            let healthy = try await connection.query(
                """
                SELECT signaling_url FROM media_nodes
                WHERE sid = \(current) AND status IN ('active', 'draining')
                  AND last_heartbeat_at > clock_timestamp() - make_interval(secs => \(deadAfter.seconds))
                """, logger: logger
            ).collect()
            if let url = try healthy.first?.decode(String.self) { return Result(node: sid, signalingURL: url, placed: false) }
        }
        let candidates = try await connection.query(
            """
            SELECT n.sid, n.signaling_url FROM media_nodes n
            WHERE n.status = 'active' AND n.last_heartbeat_at > clock_timestamp() - make_interval(secs => \(deadAfter.seconds))
            ORDER BY ((SELECT count(*) FROM rooms r WHERE r.node_sid = n.sid AND r.status = 'in-progress') + n.load)::float8 / n.capacity,
                     n.last_heartbeat_at DESC
            LIMIT 1
            """, logger: logger
        ).collect()
        guard let chosen = candidates.first else { throw VideoError.noMediaNode }
        let (nodeText, url) = try chosen.decode((String, String).self)
        guard let node = SID(nodeText) else { throw CorruptRowError(table: "media_nodes", key: nodeText) }
        if current != nil { try await Self.awaitReconnection(room: room, on: connection, logger: logger) }
        try await connection.query(
            "UPDATE rooms SET node_sid = \(node.rawValue), date_updated = now() WHERE sid = \(room.rawValue)", logger: logger)
        logger.info("room placed", metadata: ["room": "\(room)", "node": "\(node)", "previous": "\(current ?? "none")"])
        return Result(node: node, signalingURL: url, placed: true)
    }

    /// Moves every in-progress room of `node` (declared dead) to healthy nodes; a room no node can take
    /// is left unplaced, to be placed when a client next asks. Returns the rooms moved.
    public func evacuate(_ node: SID, logger: Logger) async throws -> [SID] {
        let rows = try await database.query(
            "SELECT sid, account_sid FROM rooms WHERE node_sid = \(node.rawValue) AND status = 'in-progress'", logger: logger)
        var moved: [SID] = []
        for row in rows {
            let (roomText, accountText) = try row.decode((String, String).self)
            guard let room = SID(roomText), let account = SID(accountText) else { continue }
            do {
                _ = try await place(room: room, account: account, logger: logger)
                moved.append(room)
            } catch let error as APIError where error == VideoError.noMediaNode {
                try await database.withTransaction(logger: logger) { connection in
                    try await connection.query(
                        "UPDATE rooms SET node_sid = NULL WHERE sid = \(room.rawValue) AND node_sid = \(node.rawValue)", logger: logger)
                    try await Self.awaitReconnection(room: room, on: connection, logger: logger)
                }
            }
        }
        return moved
    }

    /// The room's connected participants were on a node that is gone: they are `reconnecting` until they
    /// come back or the reconnect window closes.
    private static func awaitReconnection(room: SID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            UPDATE room_participants SET status = 'reconnecting', date_updated = now()
            WHERE room_sid = \(room.rawValue) AND status = 'connected'
            """, logger: logger)
    }
}
