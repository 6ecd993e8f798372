/// What a carrier connection did with a message handed to it.
public enum CarrierOutcome: Sendable, Equatable {
    /// The carrier took it (`sent`), one id per segment; delivery receipts come later, naming those ids.
    case accepted(carrierMessageIDs: [String])
    /// The carrier took it and it reached the handset at once (the sandbox): `sent`, then `delivered`.
    case delivered(carrierMessageID: String)
    /// The carrier refused it for good (`failed`, with Twilio's error code).
    case rejected(errorCode: Int, reason: String)
    /// The connection is shutting down before the carrier answered: the message goes back to the queue, for this
    /// or another gateway to send.
    case interrupted
}

/// A route to the phone network that outbound messages leave by, named in the inventory (`connection`).
public protocol CarrierConnection: Sendable {
    var name: String { get }

    /// Hands `message` to the carrier and says what became of it. Never throws: a failure is an outcome.
    func submit(_ message: Message) async -> CarrierOutcome
}
