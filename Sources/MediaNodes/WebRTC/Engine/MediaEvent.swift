import Platform

/// What the media plane tells the signaling side, which relays it to clients.
enum MediaEvent: Sendable {
    /// A new offer for `participant`'s subscribe peer connection.
    case subscriberOffer(participant: SID, room: SID, SubscriberOffer)
    /// The room's loudest participant changed (`nil`: nobody is speaking any more).
    case dominantSpeaker(room: SID, participant: SID?)
}

/// The node's offer for a subscribe peer connection, with the track each media section carries.
struct SubscriberOffer: Sendable {
    struct Section: Sendable {
        var mid: String
        var track: SID
        var publisher: SID
        var kind: TrackKind
    }

    var revision: Int
    var sdp: String
    var sections: [Section]
}

/// A track a `publish` binds to a media section of the publisher's offer.
struct PublishBinding: Sendable {
    var track: SID
    var kind: TrackKind
    /// The offer's `mid` for it; without one, tracks take the offer's sections of their kind in order.
    var mid: String?
}
