/// Typed reads of the attributes ICE looks at; each returns the first occurrence, as RFC 8489 §14
/// tells receivers to.
extension STUNMessage {
    /// USERNAME, if present.
    var username: String? {
        firstValue { if case .username(let username) = $0 { username } else { nil } }
    }

    /// XOR-MAPPED-ADDRESS, if present.
    var xorMappedAddress: (ip: [UInt8], port: UInt16)? {
        firstValue { if case .xorMappedAddress(let ip, let port) = $0 { (ip, port) } else { nil } }
    }

    /// PRIORITY, if present.
    var priority: UInt32? {
        firstValue { if case .priority(let priority) = $0 { priority } else { nil } }
    }

    /// Whether USE-CANDIDATE is present.
    var useCandidate: Bool {
        attributes.contains(.useCandidate)
    }

    /// The ICE-CONTROLLING tiebreaker, if present.
    var iceControlling: UInt64? {
        firstValue { if case .iceControlling(let tiebreaker) = $0 { tiebreaker } else { nil } }
    }

    /// The ICE-CONTROLLED tiebreaker, if present.
    var iceControlled: UInt64? {
        firstValue { if case .iceControlled(let tiebreaker) = $0 { tiebreaker } else { nil } }
    }

    /// ERROR-CODE, if present.
    var errorCode: STUNErrorCode? {
        firstValue { if case .errorCode(let error) = $0 { error } else { nil } }
    }

    /// Whether MESSAGE-INTEGRITY is present (checking it needs the raw bytes and the key).
    var hasMessageIntegrity: Bool {
        attributes.contains { $0.type == STUNAttribute.Kind.messageIntegrity }
    }

    /// Whether FINGERPRINT is present (checking it needs the raw bytes).
    var hasFingerprint: Bool {
        attributes.contains { $0.type == STUNAttribute.Kind.fingerprint }
    }

    /// The first attribute `extract` returns a value for.
    private func firstValue<Value>(_ extract: (STUNAttribute) -> Value?) -> Value? {
        for attribute in attributes {
            if let value = extract(attribute) { return value }
        }
        return nil
    }
}
