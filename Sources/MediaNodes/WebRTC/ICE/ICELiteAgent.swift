/// The ICE-lite side of a media session (RFC 8445 §2.5): it never sends checks, only answers the
/// peer's Binding requests, adopts the address the controlling peer nominates, and watches consent
/// freshness (RFC 7675) on it. Sans-IO: fed datagrams with their source and the time, it returns the
/// bytes to send back.
///
/// Checks are answered once signaling delivered the remote ufrag; before that, authenticated checks
/// are dropped without a response (``ICERejection/remoteUfragUnknown``) so the browser simply
/// retransmits. Only the local password keys MESSAGE-INTEGRITY in both directions; the remote password
/// is kept for completeness, a lite agent never needs it.
struct ICELiteAgent: Sendable {
    /// Our ufrag and password, as sent in our SDP.
    let local: ICECredentials
    /// The peer's ufrag and password, once its SDP arrived.
    private(set) var remote: ICECredentials?
    /// How long the selected address may go without a valid check before consent is lost (RFC 7675 §5.1).
    let consentTimeout: Duration
    /// Where media goes: the address of the latest nomination.
    private(set) var selectedAddress: TransportAddress?
    /// When each address last passed a check; bounded by ``maximumTrackedAddresses``.
    private var lastValidCheck: [TransportAddress: ContinuousClock.Instant] = [:]

    /// A peer has a handful of candidates; more addresses than this only evict the stalest.
    static let maximumTrackedAddresses = 16

    init(local: ICECredentials, remote: ICECredentials? = nil, consentTimeout: Duration = .seconds(30)) {
        self.local = local
        self.remote = remote
        self.consentTimeout = consentTimeout
    }

    /// Records the peer's credentials once its SDP arrived.
    mutating func setRemoteCredentials(_ credentials: ICECredentials) {
        remote = credentials
    }

    /// Whether the selected address has gone `consentTimeout` without a valid check. False while nothing
    /// is selected: connecting has its own deadline in the transport.
    func consentExpired(at now: ContinuousClock.Instant) -> Bool {
        guard let selectedAddress else { return false }
        guard let last = lastValidCheck[selectedAddress] else { return true }
        return now - last >= consentTimeout
    }

    /// Handles one datagram (or RFC 4571 frame) from `source`; see ``ICERejection`` for what is answered
    /// and what is dropped.
    mutating func receive(_ datagram: [UInt8], from source: TransportAddress, at now: ContinuousClock.Instant) -> ICEReply {
        guard let request = try? STUNMessage(parsing: datagram) else { return ICEReply(response: nil, event: .rejected(.malformed)) }
        guard request.method == .binding, request.messageClass == .request else {
            return ICEReply(response: nil, event: .rejected(.notABindingRequest))
        }
        guard STUNMessage.verifyFingerprint(of: datagram) else { return ICEReply(response: nil, event: .rejected(.badFingerprint)) }
        // RFC 8489 §9.1.3: missing credentials are a bad request, wrong ones are unauthorized.
        guard let username = request.username, request.hasMessageIntegrity else {
            return reject(request, .badRequest, error: .badRequest, signed: false)
        }
        let (localUfrag, remoteUfrag) = Self.splitUsername(username)
        let key = STUNMessage.shortTermKey(password: local.password)
        guard localUfrag == local.ufrag, STUNMessage.verifyIntegrity(of: datagram, key: key) else {
            return reject(request, .unauthorized, error: .unauthorized, signed: false)
        }
        guard let remote else { return ICEReply(response: nil, event: .rejected(.remoteUfragUnknown)) }
        guard remoteUfrag == remote.ufrag else { return reject(request, .unauthorized, error: .unauthorized, signed: false) }
        // Authenticated from here on, so error responses carry MESSAGE-INTEGRITY.
        if request.iceControlled != nil { return reject(request, .roleConflict, error: .roleConflict, signed: true) }
        guard request.iceControlling != nil else { return reject(request, .badRequest, error: .badRequest, signed: true) }

        recordValidCheck(from: source, at: now)
        let event: ICEEvent
        if request.useCandidate, selectedAddress != source {
            selectedAddress = source
            event = .nominated(source)
        } else {
            event = .consentRefreshed(source)
        }
        let success = STUNMessage(
            messageClass: .successResponse, transactionID: request.transactionID,
            attributes: [.xorMappedAddress(ip: source.ip, port: source.port)]
        )
        return ICEReply(response: success.encoded(integrityKey: key, fingerprint: true), event: event)
    }

    /// The local ufrag a Binding request is addressed to (USERNAME up to the first ':'), checking
    /// nothing else: lets the transport route a first packet from an unknown address to its session.
    static func localUfrag(ofBindingRequest bytes: [UInt8]) -> String? {
        guard STUNMessage.looksLikeSTUN(bytes), let request = try? STUNMessage(parsing: bytes),
            request.method == .binding, request.messageClass == .request,
            let username = request.username, username.contains(":")
        else { return nil }
        return String(splitUsername(username).local)
    }

    /// "<local>:<remote>" split at the first colon; no colon gives an empty remote part.
    private static func splitUsername(_ username: String) -> (local: Substring, remote: Substring) {
        guard let colon = username.firstIndex(of: ":") else { return (username[...], "") }
        return (username[..<colon], username[username.index(after: colon)...])
    }

    /// An error response (with FINGERPRINT, and MESSAGE-INTEGRITY once the request authenticated).
    private func reject(_ request: STUNMessage, _ rejection: ICERejection, error: STUNErrorCode, signed: Bool) -> ICEReply {
        let response = STUNMessage(messageClass: .errorResponse, transactionID: request.transactionID, attributes: [.errorCode(error)])
        let key = signed ? STUNMessage.shortTermKey(password: local.password) : nil
        return ICEReply(response: response.encoded(integrityKey: key, fingerprint: true), event: .rejected(rejection))
    }

    /// Notes consent from `source`, evicting the stalest other address when the table is full.
    private mutating func recordValidCheck(from source: TransportAddress, at now: ContinuousClock.Instant) {
        if lastValidCheck[source] == nil, lastValidCheck.count >= Self.maximumTrackedAddresses,
            let stalest = lastValidCheck.filter({ $0.key != selectedAddress }).min(by: { $0.value < $1.value })?.key
        {
            lastValidCheck[stalest] = nil
        }
        lastValidCheck[source] = now
    }
}
