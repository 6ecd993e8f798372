import Foundation
import Logging
import Platform
import PostgresNIO
import Synchronization

/// One client's signaling connection on a node: joins with a ticket, then publishes, subscribes and mutes,
/// each request one transaction through ``RoomChanges`` and a reply; what others must know is pushed to
/// them through the ``RoomHub``.
final class SignalingSession: Sendable {
    private struct Joined: Sendable {
        var participant: Participant
    }

    let node: NodeState
    let channel = SessionChannel()
    private let joined = Mutex<Joined?>(nil)
    private let logger: Logger

    init(node: NodeState, logger: Logger) {
        self.node = node
        self.logger = logger
    }

    /// Handles one text frame.
    func receive(_ text: String) async {
        switch ClientMessage.parse(text) {
        case .failure(let error):
            channel.send(ServerMessage.error(error))
        case .success(let message):
            do {
                try await handle(message)
            } catch var error as SignalingError {
                error.id = message.id
                channel.send(ServerMessage.error(error))
            } catch let error as APIError {
                channel.send(ServerMessage.error(SignalingError(id: message.id, code: error.code, message: error.message)))
            } catch is SignalingRefusal {
                channel.close(with: ServerMessage.reconnect(reason: "room-moved"))
            } catch {
                logger.error("signaling request failed", metadata: ["error": "\(error)"])
                channel.send(ServerMessage.error(SignalingError(id: message.id, code: 53000, message: "Internal error")))
            }
        }
    }

    private func handle(_ message: ClientMessage) async throws {
        let id = message.id
        if case .ping = message.request { return channel.send(ServerMessage.reply("pong", id: id)) }
        if case .join(let ticket) = message.request { return try await join(ticket, id: id) }
        guard let me = joined.withLock({ $0?.participant }) else {
            throw SignalingError(id: id, code: 53403, message: "Join first")
        }
        switch message.request {
        case .publish(let sdp, let offers):
            // The answer is made inside the transaction: an offer the engine refuses publishes nothing.
            let (tracks, answer) = try await node.change { changes, connection in
                let tracks = try await changes.publish(offers.map { ($0.name, $0.kind) }, by: me, on: connection, logger: logger)
                let bindings = zip(tracks, offers).map { PublishBinding(track: $0.sid, kind: $0.kind, mid: $1.mid) }
                let answer = try await node.media.publish(participant: me.sid, room: me.roomSid, offer: sdp, bindings: bindings)
                return (tracks, answer)
            }
            channel.send(ServerMessage.answer(id: id, sdp: answer, tracks: zip(tracks, offers).map { ($0, $1.mid) }))
            for track in tracks { await node.hub.broadcast(ServerMessage.track("track-published", track), room: me.roomSid, except: me.sid) }
        case .unpublish(let track):
            let removed = try await node.change { changes, connection in
                try await changes.unpublish(track, publishedBy: me.sid, on: connection, logger: logger)
            }
            guard removed else { throw SignalingError(id: id, code: 53404, message: "You publish no track \(track)") }
            await node.media.unpublish(track: track, room: me.roomSid)
            channel.send(ServerMessage.reply("unpublished", id: id, track: track))
            await node.hub.broadcast(ServerMessage.trackUnpublished(participant: me.sid, track: track), room: me.roomSid, except: me.sid)
        case .subscribe(let track, _), .unsubscribe(let track):
            let found = try await node.change { changes, connection in
                try await changes.setSubscribed(message.request.subscribes, track: track, subscriber: me, on: connection, logger: logger)
            }
            guard found != nil else { throw SignalingError(id: id, code: 53404, message: "No published track \(track) in this room") }
            if case .subscribe(_, let quality) = message.request {
                channel.send(ServerMessage.reply("subscribed", id: id, track: track))
                await node.media.subscribe(participant: me.sid, room: me.roomSid, track: track, preference: quality)
            } else {
                channel.send(ServerMessage.reply("unsubscribed", id: id, track: track))
                await node.media.unsubscribe(participant: me.sid, track: track)
            }
        case .setQuality(let track, let quality):
            await node.media.setPreference(quality, participant: me.sid, track: track)
            channel.send(ServerMessage.reply("quality-set", id: id, track: track))
        case .subscriberAnswer(let revision, let sdp):
            try await node.media.applySubscriberAnswer(participant: me.sid, revision: revision, sdp: sdp)
        case .mute(let track), .unmute(let track):
            let enabled = if case .unmute = message.request { true } else { false }
            let updated = try await node.change { changes, connection in
                try await changes.setEnabled(enabled, track: track, of: me, on: connection, logger: logger)
            }
            guard let updated else { throw SignalingError(id: id, code: 53404, message: "You publish no track \(track)") }
            channel.send(ServerMessage.track("track-updated", id: id, updated))
            await node.hub.broadcast(ServerMessage.track("track-updated", updated), room: me.roomSid, except: me.sid)
        case .leave:
            try await depart(me, reason: .left)
        case .join, .ping:
            break
        }
    }

    // MARK: Joining and leaving

    private func join(_ text: String, id: String?) async throws {
        guard joined.withLock({ $0 == nil }) else { throw SignalingError(id: id, code: 53403, message: "Already joined") }
        guard let ticket = JoinTicket.verify(text, key: node.ticketKey, node: node.sid) else {
            channel.close(with: ServerMessage.error(SignalingError(id: id, code: 53002, message: VideoError.invalidTicket.message)))
            return
        }
        let (connected, room, others) = try await node.change { changes, connection in
            let connected = try await changes.connect(
                identity: ticket.identity, room: ticket.room, account: ticket.account, node: node.sid, resume: ticket.resume,
                on: connection, logger: logger)
            let room = try await Self.room(ticket.room, on: connection, logger: logger)
            let others = try await Self.presentParticipants(of: ticket.room, except: connected.participant.sid, on: connection, logger: logger)
            return (connected, room, others)
        }
        let me = connected.participant
        joined.withLock { $0 = Joined(participant: me) }
        if let replaced = connected.replaced {
            await node.closeConnection(of: replaced.participant, reason: .duplicateIdentity)
        }
        if let stale = await node.hub.add(channel, participant: me.sid, identity: me.identity, room: me.roomSid) {
            stale.close(with: ServerMessage.disconnected(reason: "duplicate-identity"))
        }
        channel.send(ServerMessage.joined(id: id, room: room, me: me, others: others))
        try await catchUp(since: others, me: me)
        let myTracks = connected.resumed ? try await Self.tracks(of: me.sid, database: node.database, logger: logger) : []
        await node.hub.broadcast(
            ServerMessage.participantConnected(.init(sid: me.sid, identity: me.identity, tracks: myTracks)), room: me.roomSid, except: me.sid)
        logger.info("participant joined", metadata: ["participant": "\(me.sid)", "room": "\(me.roomSid)", "resumed": "\(connected.resumed)"])
    }

    /// Pushes what changed between the `joined` snapshot and joining the hub (a participant that connected,
    /// a track published meanwhile): their broadcasts went out before this connection could hear them.
    /// What commits later is broadcast to it; at worst a change arrives twice, which clients take as an update.
    private func catchUp(since snapshot: [ServerMessage.ParticipantState], me: Participant) async throws {
        let now = try await node.database.withConnection { connection in
            try await Self.presentParticipants(of: me.roomSid, except: me.sid, on: connection, logger: logger)
        }
        let known = Dictionary(uniqueKeysWithValues: snapshot.map { ($0.sid, Set($0.tracks.map(\.sid))) })
        for participant in now {
            guard let tracks = known[participant.sid] else {
                channel.send(ServerMessage.participantConnected(participant))
                continue
            }
            for track in participant.tracks where !tracks.contains(track.sid) { channel.send(ServerMessage.track("track-published", track)) }
        }
    }

    /// The connection ended. A client that did not leave and was not sent away may come back: it is
    /// `reconnecting` until the reconnect window closes.
    func connectionEnded() async {
        guard let me = joined.withLock({ $0?.participant }) else { return }
        guard await node.hub.remove(channel, participant: me.sid, room: me.roomSid) else { return }
        // Its peer connections die with the signaling connection; a resumed participant negotiates new ones.
        await node.media.remove(participant: me.sid)
        guard !channel.wasClosedByNode else { return }
        do {
            let dropped = try await node.change { changes, connection in
                try await changes.markReconnecting(me.sid, on: connection, logger: logger)
            }
            if dropped {
                await node.hub.broadcast(
                    ServerMessage.participantLeft("participant-reconnecting", sid: me.sid, identity: me.identity), room: me.roomSid)
            }
        } catch {
            logger.warning("could not mark participant reconnecting", metadata: ["participant": "\(me.sid)", "error": "\(error)"])
        }
    }

    private func depart(_ me: Participant, reason: RoomChanges.DepartureReason) async throws {
        _ = try await node.change { changes, connection in
            try await connection.query("SELECT 1 FROM rooms WHERE sid = \(me.roomSid.rawValue) FOR UPDATE", logger: logger)
            return try await changes.disconnect(me.sid, reason: reason, on: connection, logger: logger)
        }
        _ = await node.hub.remove(channel, participant: me.sid, room: me.roomSid)
        await node.media.remove(participant: me.sid)
        channel.close(with: ServerMessage.disconnected(reason: reason.rawValue))
        await node.hub.broadcast(ServerMessage.participantLeft("participant-disconnected", sid: me.sid, identity: me.identity), room: me.roomSid)
    }

    // MARK: Reads for `joined`

    private static func room(_ sid: SID, on connection: PostgresConnection, logger: Logger) async throws -> Room {
        let rows = try await connection.query(
            "SELECT \(unescaped: VideoRows.roomColumns) FROM rooms WHERE sid = \(sid.rawValue)", logger: logger
        ).collect()
        guard let row = rows.first else { throw VideoError.roomNotFound(sid.rawValue) }
        return try VideoRows.room(row).item
    }

    private static func presentParticipants(
        of room: SID, except me: SID, on connection: PostgresConnection, logger: Logger
    ) async throws -> [ServerMessage.ParticipantState] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: VideoRows.participantColumns) FROM room_participants
            WHERE room_sid = \(room.rawValue) AND status <> 'disconnected' AND sid <> \(me.rawValue) ORDER BY seq
            """, logger: logger
        ).collect()
        let tracks = try await connection.query(
            """
            SELECT \(unescaped: VideoRows.trackColumns) FROM published_tracks t
            WHERE t.room_sid = \(room.rawValue) AND t.unpublished_at IS NULL ORDER BY t.seq
            """, logger: logger
        ).collect().map { try VideoRows.track($0).item }
        return try rows.map { row in
            let participant = try VideoRows.participant(row).item
            return .init(sid: participant.sid, identity: participant.identity, tracks: tracks.filter { $0.participantSid == participant.sid })
        }
    }

    private static func tracks(of participant: SID, database: Database, logger: Logger) async throws -> [PublishedTrack] {
        try await database.query(
            """
            SELECT \(unescaped: VideoRows.trackColumns) FROM published_tracks t
            WHERE t.participant_sid = \(participant.rawValue) AND t.unpublished_at IS NULL ORDER BY t.seq
            """, logger: logger
        ).map { try VideoRows.track($0).item }
    }
}
