import Logging
import Platform

/// Everything the media plane holds, confined to its event loop: rooms with their published tracks, and
/// each participant's publish and subscribe peer connections.
final class EngineState {
    let router: MediaRouter
    let certificate: DTLSCertificate
    let candidates: [String]
    let logger: Logger
    let emit: (MediaEvent) -> Void
    private var rooms: [SID: MediaRoom] = [:]
    private var participants: [SID: MediaParticipant] = [:]
    private var lastSlowTick: ContinuousClock.Instant = .now
    /// `o=` session id of the node's descriptions; versions count up per connection.
    let sessionID = String(UInt64.random(in: 1...UInt64(Int64.max)))

    init(router: MediaRouter, certificate: DTLSCertificate, candidates: [String], logger: Logger, emit: @escaping (MediaEvent) -> Void) {
        self.router = router
        self.certificate = certificate
        self.candidates = candidates
        self.logger = logger
        self.emit = emit
    }

    // MARK: Publishing

    func publish(participant sid: SID, room roomSid: SID, offer text: String, bindings: [PublishBinding]) throws -> String {
        let member = participant(sid, room: roomSid)
        let offer: SessionDescription
        do { offer = try SessionDescription(parsing: text) } catch { throw SignalingError(id: nil, code: 53404, message: "Invalid SDP offer: \(error.message)") }
        let publisher = try member.publisher(for: offer, engine: self)
        let answer = try publisher.negotiate(offer, bindings: bindings)
        return answer
    }

    func unpublish(track: SID, room: SID) {
        guard let upTrack = rooms[room]?.removeTrack(track) else { return }
        upTrack.publisherConnection?.forget(upTrack)
        for down in upTrack.downTracks { down.subscriber?.trackEnded(down) }
    }

    // MARK: Subscribing

    func subscribe(participant sid: SID, room roomSid: SID, track: SID, preference: SimulcastPreference) {
        guard let room = rooms[roomSid], let upTrack = room.tracks[track] else { return }
        participant(sid, room: roomSid).subscriber(engine: self).add(upTrack, preference: preference)
    }

    func unsubscribe(participant: SID, track: SID) {
        participants[participant]?.subscriberConnection?.remove(track: track)
    }

    func setPreference(_ preference: SimulcastPreference, participant: SID, track: SID) {
        participants[participant]?.subscriberConnection?.setPreference(preference, track: track)
    }

    func applySubscriberAnswer(participant: SID, revision: Int, sdp: String) throws {
        guard let subscriber = participants[participant]?.subscriberConnection else {
            throw SignalingError(id: nil, code: 53404, message: "No subscriber offer is waiting for an answer")
        }
        try subscriber.apply(answer: sdp, revision: revision)
    }

    // MARK: Leaving

    func remove(participant sid: SID) {
        guard let member = participants.removeValue(forKey: sid) else { return }
        for upTrack in member.publisherConnection?.upTracks ?? [] { unpublish(track: upTrack.sid, room: member.room.sid) }
        member.close()
        let room = member.room
        room.leave(sid)
        if room.members.isEmpty { rooms[room.sid] = nil }
    }

    func removeRoom(_ room: SID) {
        for member in participants.values where member.room.sid == room { remove(participant: member.sid) }
        rooms[room] = nil
    }

    func closeAll() {
        for sid in Array(participants.keys) { remove(participant: sid) }
    }

    // MARK: Tracks published from the node itself (media streams' bots)

    func existingRoom(_ sid: SID) -> MediaRoom? { rooms[sid] }

    /// The room's media, made when nobody has published or subscribed in it yet.
    func mediaRoom(_ sid: SID) -> MediaRoom {
        if let room = rooms[sid] { return room }
        let room = MediaRoom(sid: sid, emit: emit)
        rooms[sid] = room
        return room
    }

    /// Adds a track the node produces; subscribers reach it like any published track.
    func publishLocal(_ track: UpTrack, participant: SID) {
        track.room.add(track)
        track.room.members.insert(participant)
    }

    func unpublishLocal(_ track: SID, participant: SID, room roomSid: SID) {
        guard let room = rooms[roomSid] else { return }
        unpublish(track: track, room: roomSid)
        room.leave(participant)
        if room.members.isEmpty { rooms[roomSid] = nil }
    }

    // MARK: Time

    /// Every 10 ms: DTLS retransmissions, consent, NACKs towards publishers; every second, receiver-side
    /// reports (REMB) to publishers.
    /// The node's transport parameters for a peer connection with `credentials`.
    func transportParameters(_ credentials: ICECredentials) -> NodeTransportParameters {
        NodeTransportParameters(
            iceUfrag: credentials.ufrag, icePwd: credentials.password, fingerprint: certificate.fingerprint, candidates: candidates)
    }

    func tick(at now: ContinuousClock.Instant) {
        let slow = now - lastSlowTick >= .seconds(1)
        if slow { lastSlowTick = now }
        for member in participants.values { member.tick(at: now, slow: slow) }
        router.flush()
    }

    private func participant(_ sid: SID, room roomSid: SID) -> MediaParticipant {
        if let member = participants[sid] { return member }
        let room = rooms[roomSid] ?? MediaRoom(sid: roomSid, emit: emit)
        rooms[roomSid] = room
        let member = MediaParticipant(sid: sid, room: room)
        room.members.insert(sid)
        participants[sid] = member
        return member
    }
}
