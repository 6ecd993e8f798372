import Testing

@testable import MediaNodes

/// The controlling side's Binding requests and response validation.
@Suite struct ICEClientChecksTests {
    let local = ICECredentials(ufrag: "loAD", password: "load-generator-password-1")
    let remote = ICECredentials(ufrag: "sfu1", password: "media-node-password-12345")

    @Test func requestCarriesWhatALitePeerExpects() throws {
        let checks = ICEClientChecks(local: local, remote: remote, tiebreaker: 0xDEAD_BEEF_0000_0001)
        let bytes = checks.bindingRequest(priority: 0x7E7F_00FF, useCandidate: true)
        let request = try STUNMessage(parsing: bytes)
        #expect(request.method == .binding && request.messageClass == .request)
        #expect(request.username == "sfu1:loAD")
        #expect(request.priority == 0x7E7F_00FF)
        #expect(request.iceControlling == 0xDEAD_BEEF_0000_0001)
        #expect(request.iceControlled == nil)
        #expect(request.useCandidate)
        #expect(STUNMessage.verifyIntegrity(of: bytes, key: Array(remote.password.utf8)))
        #expect(!STUNMessage.verifyIntegrity(of: bytes, key: Array(local.password.utf8)))
        #expect(STUNMessage.verifyFingerprint(of: bytes))
        #expect(try !STUNMessage(parsing: checks.bindingRequest(priority: 1, useCandidate: false)).useCandidate)
    }

    @Test func validatesOnlyTheMatchingSignedResponse() {
        let checks = ICEClientChecks(local: local, remote: remote)
        let transactionID = STUNTransactionID.random()
        let success = STUNMessage(messageClass: .successResponse, transactionID: transactionID, attributes: [.xorMappedAddress(ip: [10, 0, 0, 1], port: 5000)])
        let key = Array(remote.password.utf8)
        let signed = success.encoded(integrityKey: key, fingerprint: true)
        #expect(checks.validateResponse(signed, to: transactionID) == .succeeded(mappedIP: [10, 0, 0, 1], mappedPort: 5000))
        #expect(checks.validateResponse(signed, to: .random()) == .invalid("not a response to this check"))

        var tampered = signed
        tampered[tampered.count - 13] ^= 1  // inside MESSAGE-INTEGRITY; FINGERPRINT recomputed below
        tampered.replaceSubrange((tampered.count - 4)..., with: uint32Bytes(STUNMessage.fingerprintValue(of: tampered.dropLast(8))))
        #expect(STUNMessage.verifyFingerprint(of: tampered))
        #expect(checks.validateResponse(tampered, to: transactionID) == .invalid("MESSAGE-INTEGRITY missing or wrong"))

        let unsigned = success.encoded(integrityKey: nil, fingerprint: true)
        #expect(checks.validateResponse(unsigned, to: transactionID) == .invalid("MESSAGE-INTEGRITY missing or wrong"))
        let wrongKey = success.encoded(integrityKey: Array(local.password.utf8), fingerprint: true)
        #expect(checks.validateResponse(wrongKey, to: transactionID) == .invalid("MESSAGE-INTEGRITY missing or wrong"))
        let noFingerprint = success.encoded(integrityKey: key, fingerprint: false)
        #expect(checks.validateResponse(noFingerprint, to: transactionID) == .invalid("FINGERPRINT missing or wrong"))
        let noAddress = STUNMessage(messageClass: .successResponse, transactionID: transactionID).encoded(integrityKey: key, fingerprint: true)
        #expect(checks.validateResponse(noAddress, to: transactionID) == .invalid("no XOR-MAPPED-ADDRESS"))
        #expect(checks.validateResponse([1, 2, 3], to: transactionID) == .invalid("not a STUN message"))
    }

    @Test func reportsErrorResponsesSignedOrNot() {
        let checks = ICEClientChecks(local: local, remote: remote)
        let transactionID = STUNTransactionID.random()
        let error = STUNMessage(messageClass: .errorResponse, transactionID: transactionID, attributes: [.errorCode(.roleConflict)])
        #expect(checks.validateResponse(error.encoded(integrityKey: nil, fingerprint: true), to: transactionID) == .failed(.roleConflict))
        let signed = error.encoded(integrityKey: Array(remote.password.utf8), fingerprint: true)
        #expect(checks.validateResponse(signed, to: transactionID) == .failed(.roleConflict))
        let forged = error.encoded(integrityKey: Array("forged".utf8), fingerprint: true)
        #expect(checks.validateResponse(forged, to: transactionID) == .invalid("MESSAGE-INTEGRITY wrong"))
    }

    private func uint32Bytes(_ value: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendUInt32(value)
        return bytes
    }
}
