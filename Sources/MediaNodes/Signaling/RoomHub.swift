import Platform
import Synchronization

/// The node's live signaling connections, by room and participant: who to tell when something changes.
/// Media of one room never reaches another because nothing here crosses rooms.
actor RoomHub {
    struct Member {
        var channel: SessionChannel
        var identity: String
    }

    private var rooms: [SID: [SID: Member]] = [:]

    var connectionCount: Int { rooms.values.reduce(0) { $0 + $1.count } }

    /// Adds `channel` as `participant`'s connection; returns the one it replaces (a resumed participant's stale socket).
    func add(_ channel: SessionChannel, participant: SID, identity: String, room: SID) -> SessionChannel? {
        let previous = rooms[room, default: [:]].updateValue(Member(channel: channel, identity: identity), forKey: participant)
        return previous?.channel === channel ? nil : previous?.channel
    }

    /// Removes `participant`'s connection if it is still `channel`; `false` when another has replaced it.
    func remove(_ channel: SessionChannel, participant: SID, room: SID) -> Bool {
        guard rooms[room]?[participant]?.channel === channel else { return false }
        remove(participant, room: room)
        return true
    }

    /// Removes `participant`'s connection, wherever it is.
    func take(_ participant: SID) -> (member: Member, room: SID)? {
        guard let (room, members) = rooms.first(where: { $0.value[participant] != nil }), let member = members[participant] else {
            return nil
        }
        remove(participant, room: room)
        return (member, room)
    }

    /// Sends `text` to everyone in `room` except `excluded`.
    func broadcast(_ text: String, room: SID, except excluded: SID? = nil) {
        for (participant, member) in rooms[room] ?? [:] where participant != excluded { member.channel.send(text) }
    }

    /// Sends `text` to `participant` only.
    func send(_ text: String, to participant: SID, room: SID) {
        rooms[room]?[participant]?.channel.send(text)
    }

    /// Removes and returns every connection of `room`.
    func removeRoom(_ room: SID) -> [SessionChannel] {
        (rooms.removeValue(forKey: room) ?? [:]).values.map(\.channel)
    }

    /// Removes and returns every connection.
    func removeAll() -> [SessionChannel] {
        defer { rooms = [:] }
        return rooms.values.flatMap { $0.values.map(\.channel) }
    }

    private func remove(_ participant: SID, room: SID) {
        rooms[room]?[participant] = nil
        if rooms[room]?.isEmpty == true { rooms[room] = nil }
    }
}

/// One connection's outgoing side: messages are queued in order and written by the connection's writer;
/// `close` queues a last message and ends the connection, marking it as closed by the node (so its end is
/// not taken for a network drop).
final class SessionChannel: Sendable {
    private let continuation: AsyncStream<String>.Continuation
    let outgoing: AsyncStream<String>
    private let closedByNode = Mutex<Bool>(false)

    init() {
        (outgoing, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
    }

    func send(_ text: String) {
        continuation.yield(text)
    }

    func close(with text: String?) {
        closedByNode.withLock { $0 = true }
        if let text { continuation.yield(text) }
        continuation.finish()
    }

    /// Ends the queue without a last message (the connection is already gone).
    func finish() {
        continuation.finish()
    }

    var wasClosedByNode: Bool { closedByNode.withLock { $0 } }
}
