import Logging
import Platform

/// The REST side's room actions: each changes the database in one transaction, wakes the event
/// dispatcher, then tells the room's node to close the connections concerned.
public struct RoomControl: Sendable {
    let database: Database
    let outbox: EventOutbox
    let changes: RoomChanges

    public init(database: Database, outbox: EventOutbox) {
        self.database = database
        self.outbox = outbox
        self.changes = RoomChanges(outbox: outbox)
    }

    /// Ends `room` (`Status=completed`, or an empty/unused timeout with `onlyIfIdle`) and disconnects everyone.
    /// Returns whether it ended here.
    @discardableResult
    public func end(_ room: SID, onlyIfIdle: Bool = false, logger: Logger) async throws -> Bool {
        let ended = try await database.withTransaction(logger: logger) { connection in
            try await changes.endRoom(room, onlyIfIdle: onlyIfIdle, on: connection, logger: logger)
        }
        guard let ended else { return false }
        outbox.committed()
        if let node = ended.node { await NodeCommand.send(.endRoom(room), to: node, database: database, logger: logger) }
        return true
    }

    /// Disconnects a present participant of `room` (`Status=disconnected`). Returns whether it was present.
    @discardableResult
    public func kick(_ participant: SID, room: SID, logger: Logger) async throws -> Bool {
        let departure = try await database.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT 1 FROM rooms WHERE sid = \(room.rawValue) FOR UPDATE", logger: logger)
            let member = try await connection.query(
                "SELECT 1 FROM room_participants WHERE sid = \(participant.rawValue) AND room_sid = \(room.rawValue)", logger: logger
            ).collect()
            return member.isEmpty ? nil : try await changes.disconnect(participant, reason: .kicked, on: connection, logger: logger)
        }
        guard let departure else { return false }
        outbox.committed()
        if let node = departure.node {
            await NodeCommand.send(.disconnect(participant: participant, reason: .kicked), to: node, database: database, logger: logger)
        }
        return true
    }
}
