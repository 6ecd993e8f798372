import Logging
import Platform
import PostgresNIO

/// What a node's signaling sessions share: the node's identity, its connections, the database and the
/// ticket key.
final class NodeState: Sendable {
    let sid: SID
    let database: Database
    let hub = RoomHub()
    let ticketKey: TicketKey
    let media: MediaEngine
    private let changes: RoomChanges
    let outbox: EventOutbox
    private let logger: Logger

    init(sid: SID, database: Database, ticketKey: TicketKey, media: MediaEngine, logger: Logger) {
        self.sid = sid
        self.media = media
        self.database = database
        self.ticketKey = ticketKey
        self.outbox = EventOutbox(signal: DeliverySignal())
        self.changes = RoomChanges(outbox: outbox)
        self.logger = logger
    }

    /// Runs `body` in a transaction, then wakes the gateways' dispatchers for the callbacks it queued.
    func change<Result: Sendable>(
        _ body: (RoomChanges, PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let result = try await database.withTransaction(logger: logger) { connection in try await body(changes, connection) }
        await DeliveryDispatcher.wakeDispatchers(database: database, logger: logger)
        return result
    }

    /// Sends away a participant the database already shows gone, and tells its room.
    func closeConnection(of participant: SID, reason: RoomChanges.DepartureReason) async {
        await media.remove(participant: participant)
        guard let (member, room) = await hub.take(participant) else { return }
        member.channel.close(with: ServerMessage.disconnected(reason: reason.rawValue))
        await hub.broadcast(ServerMessage.participantLeft("participant-disconnected", sid: participant, identity: member.identity), room: room)
    }

    /// Sends everyone in an ended room away.
    func closeRoom(_ room: SID) async {
        await media.removeRoom(room)
        for channel in await hub.removeRoom(room) { channel.close(with: ServerMessage.disconnected(reason: "room-ended")) }
    }

    /// Relays the media plane's events to the clients concerned, until the engine stops.
    func relayMediaEvents() async {
        for await event in media.events {
            switch event {
            case .subscriberOffer(let participant, let room, let offer):
                await hub.send(ServerMessage.subscriberOffer(offer), to: participant, room: room)
            case .dominantSpeaker(let room, let participant):
                await hub.broadcast(ServerMessage.dominantSpeaker(participant), room: room)
            }
        }
    }

    /// Sends everyone back to the gateway for a new ticket (the node is leaving, or its rooms moved).
    func sendEveryoneAway(reason: String) async {
        for channel in await hub.removeAll() { channel.close(with: ServerMessage.reconnect(reason: reason)) }
        await media.removeAll()
    }
}
