/// The controlling side of connectivity checks, as a full agent (a browser, or our load generator)
/// sends them to an ICE-lite peer (RFC 8445 §7.2.2, §7.2.5): builds Binding requests and validates
/// their responses. Stateless: the caller keeps the transaction IDs it is waiting for.
struct ICEClientChecks: Sendable {
    /// Our credentials (the second half of USERNAME).
    let local: ICECredentials
    /// The lite peer's credentials: USERNAME starts with its ufrag, its password keys MESSAGE-INTEGRITY.
    let remote: ICECredentials
    /// ICE-CONTROLLING's tiebreaker, random per session.
    let tiebreaker: UInt64

    init(local: ICECredentials, remote: ICECredentials, tiebreaker: UInt64 = .random(in: .min ... .max)) {
        self.local = local
        self.remote = remote
        self.tiebreaker = tiebreaker
    }

    /// A Binding request: USERNAME "<remote ufrag>:<local ufrag>", PRIORITY, ICE-CONTROLLING, USE-CANDIDATE
    /// when nominating, MESSAGE-INTEGRITY keyed by the remote password, FINGERPRINT.
    func bindingRequest(priority: UInt32, useCandidate: Bool, transactionID: STUNTransactionID = .random()) -> [UInt8] {
        var attributes: [STUNAttribute] = [
            .username("\(remote.ufrag):\(local.ufrag)"),
            .priority(priority),
            .iceControlling(tiebreaker: tiebreaker),
        ]
        if useCandidate { attributes.append(.useCandidate) }
        let request = STUNMessage(messageClass: .request, transactionID: transactionID, attributes: attributes)
        return request.encoded(integrityKey: STUNMessage.shortTermKey(password: remote.password), fingerprint: true)
    }

    /// What `bytes` say about the check sent with `transactionID`. A success must carry a valid
    /// FINGERPRINT, MESSAGE-INTEGRITY under the remote password and XOR-MAPPED-ADDRESS; an error response
    /// is reported even unsigned (a 401 cannot be signed), but a MESSAGE-INTEGRITY it has must verify.
    func validateResponse(_ bytes: [UInt8], to transactionID: STUNTransactionID) -> ICECheckResult {
        guard let response = try? STUNMessage(parsing: bytes) else { return .invalid("not a STUN message") }
        guard response.transactionID == transactionID, response.method == .binding else {
            return .invalid("not a response to this check")
        }
        guard STUNMessage.verifyFingerprint(of: bytes) else { return .invalid("FINGERPRINT missing or wrong") }
        let key = STUNMessage.shortTermKey(password: remote.password)
        let integrityValid = STUNMessage.verifyIntegrity(of: bytes, key: key)
        switch response.messageClass {
        case .successResponse:
            guard integrityValid else { return .invalid("MESSAGE-INTEGRITY missing or wrong") }
            guard let mapped = response.xorMappedAddress else { return .invalid("no XOR-MAPPED-ADDRESS") }
            return .succeeded(mappedIP: mapped.ip, mappedPort: mapped.port)
        case .errorResponse:
            guard integrityValid || !response.hasMessageIntegrity else { return .invalid("MESSAGE-INTEGRITY wrong") }
            guard let error = response.errorCode else { return .invalid("error response without ERROR-CODE") }
            return .failed(error)
        case .request, .indication:
            return .invalid("not a response")
        }
    }
}

/// The outcome of one connectivity check, from its response.
enum ICECheckResult: Hashable, Sendable {
    /// The check succeeded; the peer saw the request come from this address.
    case succeeded(mappedIP: [UInt8], mappedPort: UInt16)
    /// The peer answered with an error (e.g. 401, 487).
    case failed(STUNErrorCode)
    /// The bytes are not a valid response to this check; keep waiting or retransmit.
    case invalid(String)
}
