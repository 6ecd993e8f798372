import Platform

/// A participant's media on this node: its publish peer connection (media from it) and its subscribe peer
/// connection (media to it), each with its own ICE/DTLS transport, as LiveKit does: each side renegotiates
/// on its own, with the offer always coming from the side that adds media.
final class MediaParticipant {
    let sid: SID
    let room: MediaRoom
    private(set) var publisherConnection: PublisherConnection?
    private(set) var subscriberConnection: SubscriberConnection?

    init(sid: SID, room: MediaRoom) {
        self.sid = sid
        self.room = room
    }

    /// The publish connection for `offer`: the current one when the offer renegotiates it (same ICE
    /// credentials), otherwise a new one (an ICE restart or the first publish).
    func publisher(for offer: SessionDescription, engine: EngineState) throws -> PublisherConnection {
        if let current = publisherConnection, current.isSameSession(as: offer) { return current }
        publisherConnection?.close()
        let connection = PublisherConnection(participant: self, engine: engine)
        publisherConnection = connection
        return connection
    }

    func subscriber(engine: EngineState) -> SubscriberConnection {
        if let subscriberConnection { return subscriberConnection }
        let connection = SubscriberConnection(participant: self, engine: engine)
        subscriberConnection = connection
        return connection
    }

    func tick(at now: ContinuousClock.Instant, slow: Bool) {
        publisherConnection?.tick(at: now, slow: slow)
        subscriberConnection?.tick(at: now)
    }

    func close() {
        publisherConnection?.close()
        subscriberConnection?.close()
    }
}
