/// What ``ICELiteAgent/receive(_:from:at:)`` makes of one datagram: the bytes to send back to its
/// source, if any, and what happened.
struct ICEReply: Hashable, Sendable {
    /// A STUN response to send to the address the datagram came from; nil when nothing is to be sent.
    var response: [UInt8]?
    var event: ICEEvent
}

/// The outcome of one connectivity check seen by the ICE-lite agent.
enum ICEEvent: Hashable, Sendable {
    /// A valid check carried USE-CANDIDATE from an address other than the selected one: it is the
    /// selected address now (first nomination, or the peer moved, e.g. a network change).
    case nominated(TransportAddress)
    /// A valid check that did not change the selection: consent from that address is refreshed.
    case consentRefreshed(TransportAddress)
    /// The datagram was not a valid check.
    case rejected(ICERejection)
}

/// Why a datagram was not accepted as a connectivity check; the reply says whether an error response
/// goes back.
enum ICERejection: Hashable, Sendable {
    /// Not a parseable STUN message: dropped silently.
    case malformed
    /// STUN, but not a Binding request (indications, stray responses, other methods): dropped silently.
    case notABindingRequest
    /// FINGERPRINT missing or wrong (RFC 8445 §7.3 makes it mandatory): dropped silently.
    case badFingerprint
    /// USERNAME, MESSAGE-INTEGRITY or ICE-CONTROLLING missing: 400.
    case badRequest
    /// USERNAME not ours or MESSAGE-INTEGRITY wrong, or the remote ufrag does not match: 401.
    case unauthorized
    /// The peer claims to be controlled too (a lite agent always is): 487.
    case roleConflict
    /// Authenticated, but signaling has not delivered the remote ufrag yet: dropped silently so the
    /// peer retransmits (an error response would fail the pair for good).
    case remoteUfragUnknown
}
