import Foundation
import Logging
import Platform
import ServiceLifecycle

/// The gateway's once-a-second rounds over the video state that changes with time alone:
/// - nodes silent past the failure threshold are declared dead and their rooms placed elsewhere;
/// - participants `reconnecting` past the reconnect window are disconnected;
/// - rooms past their empty/unused timeout (`idle_deadline`) end.
///
/// Several gateways may sweep at once: every change is conditional on the state it changes, so each
/// row is handled by one of them.
public struct ControlPlaneSweeper: Service {
    let database: Database
    let placement: Placement
    let registry: NodeRegistry
    let control: RoomControl
    let changes: RoomChanges
    let outbox: EventOutbox
    let reconnectWindow: Duration
    let interval: Duration
    let logger: Logger

    public init(
        database: Database, outbox: EventOutbox, placement: Placement, reconnectWindow: Duration = .seconds(15),
        interval: Duration = .seconds(1), logger: Logger
    ) {
        self.database = database
        self.outbox = outbox
        self.placement = placement
        self.registry = NodeRegistry(database: database)
        self.control = RoomControl(database: database, outbox: outbox)
        self.changes = RoomChanges(outbox: outbox)
        self.reconnectWindow = reconnectWindow
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while true {
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
            do {
                try await sweep()
            } catch {
                logger.warning("control-plane sweep failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// One round.
    public func sweep() async throws {
        for node in try await registry.declareSilentNodesDead(silence: placement.deadAfter, logger: logger) {
            let moved = try await placement.evacuate(node, logger: logger)
            logger.warning("media node declared dead", metadata: ["node": "\(node)", "rooms_moved": "\(moved.count)"])
        }
        try await expireReconnecting()
        try await endIdleRooms()
    }

    private func expireReconnecting() async throws {
        let rows = try await database.query(
            """
            SELECT sid, room_sid FROM room_participants
            WHERE status = 'reconnecting' AND date_updated < now() - make_interval(secs => \(reconnectWindow.seconds))
            LIMIT 500
            """, logger: logger)
        for row in rows {
            let (participantText, roomText) = try row.decode((String, String).self)
            guard let participant = SID(participantText), let room = SID(roomText) else { continue }
            let departure = try await database.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT 1 FROM rooms WHERE sid = \(room.rawValue) FOR UPDATE", logger: logger)
                let still = try await connection.query(
                    "SELECT 1 FROM room_participants WHERE sid = \(participant.rawValue) AND status = 'reconnecting'", logger: logger
                ).collect()
                return still.isEmpty ? nil : try await changes.disconnect(participant, reason: .timedOut, on: connection, logger: logger)
            }
            if departure != nil { outbox.committed() }
        }
    }

    private func endIdleRooms() async throws {
        let rows = try await database.query(
            "SELECT sid FROM rooms WHERE status = 'in-progress' AND idle_deadline < now() LIMIT 500", logger: logger)
        for row in rows {
            guard let room = SID(try row.decode(String.self)) else { continue }
            try await control.end(room, onlyIfIdle: true, logger: logger)
        }
    }
}
