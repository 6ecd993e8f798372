import Logging
import Platform

/// The REST side's stream actions: each changes the database in one transaction, then tells the node hosting
/// the room to act on it at once (the node also starts what it should be running whenever it resynchronises,
/// so a lost command only delays).
public struct StreamControl: Sendable {
    let database: Database
    let outbox: EventOutbox
    let streams: MediaStreamRepository

    public init(database: Database, outbox: EventOutbox) {
        self.database = database
        self.outbox = outbox
        self.streams = MediaStreamRepository(database: database, outbox: outbox)
    }

    /// Creates an in-progress stream (see ``MediaStreamRepository/create(_:room:account:logger:)`` for what is
    /// refused) and tells the room's node to start it. Nothing is reported yet: `stream-started` comes from the
    /// node once the consumer answers.
    public func start(_ new: MediaStreamRepository.NewStream, room: SID, account: SID, logger: Logger) async throws -> MediaStream {
        let (stream, node) = try await streams.create(new, room: room, account: account, logger: logger)
        await NodeCommand.send(.startStream(stream.sid), to: node, database: database, logger: logger)
        return stream
    }

    /// Stops an in-progress stream (`stream-stopped`) and tells the room's node to close its consumer
    /// connection. Returns whether it was in progress.
    @discardableResult
    public func stop(_ stream: SID, logger: Logger) async throws -> Bool {
        let (stopped, node) = try await database.withTransaction(logger: logger) { connection -> (Bool, SID?) in
            guard let stopped = try await MediaStreamRepository.stop(stream, reason: .stopped, outbox: outbox, on: connection, logger: logger)
            else { return (false, nil) }
            let rooms = try await connection.query(
                "SELECT node_sid FROM rooms WHERE sid = \(stopped.roomSid.rawValue)", logger: logger
            ).collect()
            return (true, try rooms.first?.decode(String?.self).flatMap { SID($0) })
        }
        guard stopped else { return false }
        outbox.committed()
        if let node { await NodeCommand.send(.stopStream(stream), to: node, database: database, logger: logger) }
        return true
    }
}
