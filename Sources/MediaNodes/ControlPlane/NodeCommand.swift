import Logging
import Platform

/// What the control plane tells a media node, through `NOTIFY parley_media` (PostgreSQL is the only
/// channel between gateways and nodes). The database change comes first and is the truth; the command
/// only makes the node act on it at once: close a kicked participant's connection, close a room's
/// connections, start draining, start or stop a media stream.
public enum NodeCommand: Sendable, Equatable {
    case disconnect(participant: SID, reason: RoomChanges.DepartureReason)
    case endRoom(SID)
    case drain
    case startStream(SID)
    case stopStream(SID)

    public static let channel = "parley_media"

    /// Sends `command` to `node`, after the caller's transaction committed. Best effort: the change is already
    /// committed, so a lost command is logged rather than failing the request that made it.
    public static func send(_ command: NodeCommand, to node: SID, database: Database, logger: Logger) async {
        do {
            try await database.query("SELECT pg_notify(\(channel), \(payload(command, to: node)))", logger: logger)
        } catch {
            logger.warning("could not notify the media node", metadata: ["node": "\(node)", "command": "\(payload(command, to: node))", "error": "\(error)"])
        }
    }

    /// `"<node> <verb> [<sid> [<reason>]]"`.
    static func payload(_ command: NodeCommand, to node: SID) -> String {
        switch command {
        case .disconnect(let participant, let reason): "\(node) disconnect \(participant) \(reason.rawValue)"
        case .endRoom(let room): "\(node) end-room \(room)"
        case .drain: "\(node) drain"
        case .startStream(let stream): "\(node) start-stream \(stream)"
        case .stopStream(let stream): "\(node) stop-stream \(stream)"
        }
    }

    /// The command in `payload` when it is addressed to `node`.
    static func parse(_ payload: String, for node: SID) -> NodeCommand? {
        let words = payload.split(separator: " ")
        guard words.count >= 2, SID(words[0]) == node else { return nil }
        switch (words[1], words.count) {
        case ("disconnect", 4):
            guard let participant = SID(words[2], prefix: .participant),
                let reason = RoomChanges.DepartureReason(rawValue: String(words[3])) else { return nil }
            return .disconnect(participant: participant, reason: reason)
        case ("end-room", 3):
            return SID(words[2], prefix: .room).map(NodeCommand.endRoom)
        case ("drain", 2):
            return .drain
        case ("start-stream", 3):
            return SID(words[2], prefix: .mediaStream).map(NodeCommand.startStream)
        case ("stop-stream", 3):
            return SID(words[2], prefix: .mediaStream).map(NodeCommand.stopStream)
        default:
            return nil
        }
    }
}
