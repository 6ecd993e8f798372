import Testing

@testable import MediaNodes

/// The STUN codec beyond the RFC vectors: framing errors, tampering, round trips of every attribute.
@Suite struct STUNMessageTests {
    let key = STUNMessage.shortTermKey(password: STUNVectors.password)

    @Test func messageTypesInterleaveMethodAndClass() {
        #expect(STUNMethod.binding.messageType(.request) == 0x0001)
        #expect(STUNMethod.binding.messageType(.indication) == 0x0011)
        #expect(STUNMethod.binding.messageType(.successResponse) == 0x0101)
        #expect(STUNMethod.binding.messageType(.errorResponse) == 0x0111)
        for method in [STUNMethod(0x001), STUNMethod(0x003), STUNMethod(0xABC), STUNMethod(0xFFF)] {
            for messageClass in [STUNClass.request, .indication, .successResponse, .errorResponse] {
                let (splitMethod, splitClass) = STUNMethod.split(messageType: method.messageType(messageClass))
                #expect(splitMethod == method && splitClass == messageClass)
            }
        }
    }

    @Test func looksLikeSTUNChecksTheTopBitsAndTheCookie() {
        #expect(STUNMessage.looksLikeSTUN(STUNVectors.sampleRequest))
        var rtp = STUNVectors.sampleRequest
        rtp[0] = 0x80
        #expect(!STUNMessage.looksLikeSTUN(rtp))
        var badCookie = STUNVectors.sampleRequest
        badCookie[5] ^= 1
        #expect(!STUNMessage.looksLikeSTUN(badCookie))
        #expect(!STUNMessage.looksLikeSTUN(Array(STUNVectors.sampleRequest[..<19])))
    }

    @Test func refusesABadCookie() {
        var bytes = STUNVectors.sampleIPv4Response
        bytes[4] = 0x42
        #expect(throws: MalformedPacket.self) { try STUNMessage(parsing: bytes) }
    }

    @Test func refusesTopBitsSet() {
        var bytes = STUNVectors.sampleIPv4Response
        bytes[0] |= 0x40
        #expect(throws: MalformedPacket.self) { try STUNMessage(parsing: bytes) }
    }

    @Test func refusesALengthThatDisagreesWithTheDatagram() {
        var longer = STUNVectors.sampleIPv4Response
        longer.setUInt16(0x40, at: 2)
        #expect(throws: MalformedPacket.self) { try STUNMessage(parsing: longer) }
        var unaligned = STUNVectors.sampleIPv4Response
        unaligned.setUInt16(0x3b, at: 2)
        #expect(throws: MalformedPacket.self) { try STUNMessage(parsing: unaligned + [0]) }
        #expect(throws: MalformedPacket.self) { try STUNMessage(parsing: Array(STUNVectors.sampleIPv4Response.dropLast(4))) }
        #expect(throws: MalformedPacket.self) { try STUNMessage(parsing: Array(STUNVectors.sampleIPv4Response[..<12])) }
    }

    @Test func refusesATruncatedAttribute() {
        // The header stays consistent, but the last attribute claims more than is left.
        var bytes = STUNVectors.sampleIPv4Response
        bytes.setUInt16(0x0008, at: bytes.count - 6)
        #expect(throws: MalformedPacket.self) { try STUNMessage(parsing: bytes) }
        // A USERNAME claiming 16 bytes where 4 are left.
        var cut = Array(STUNVectors.sampleIPv4Response[..<20]) + [0x00, 0x06, 0x00, 0x10, 0x61, 0x62, 0x63, 0x64]
        cut.setUInt16(8, at: 2)
        #expect(throws: MalformedPacket.self) { try STUNMessage(parsing: cut) }
    }

    @Test func refusesMalformedKnownAttributes() {
        let transactionID = STUNTransactionID.random()
        #expect(throws: MalformedPacket.self) { try STUNAttribute(type: 0x0024, value: [1, 2, 3], transactionID: transactionID) }
        #expect(throws: MalformedPacket.self) { try STUNAttribute(type: 0x0025, value: [1], transactionID: transactionID) }
        #expect(throws: MalformedPacket.self) { try STUNAttribute(type: 0x0008, value: [0, 1], transactionID: transactionID) }
        #expect(throws: MalformedPacket.self) { try STUNAttribute(type: 0x0020, value: [0, 3, 0, 0, 1, 2, 3, 4], transactionID: transactionID) }
        #expect(throws: MalformedPacket.self) { try STUNAttribute(type: 0x0020, value: [0, 1, 0, 0, 1, 2], transactionID: transactionID) }
        #expect(throws: MalformedPacket.self) { try STUNAttribute(type: 0x0006, value: [0xff, 0xfe], transactionID: transactionID) }
        #expect(throws: MalformedPacket.self) { try STUNAttribute(type: 0x0009, value: [0, 0, 2, 0], transactionID: transactionID) }
        #expect(throws: MalformedPacket.self) { try STUNAttribute(type: 0x0009, value: [0, 0, 4, 100], transactionID: transactionID) }
    }

    @Test func refusesAttributesAfterFingerprint() {
        var bytes = STUNVectors.sampleIPv4Response + [0x00, 0x25, 0x00, 0x00]
        bytes.setUInt16(UInt16(bytes.count - 20), at: 2)
        #expect(throws: MalformedPacket.self) { try STUNMessage(parsing: bytes) }
    }

    @Test func tamperingBreaksIntegrityAndFingerprint() {
        var tampered = STUNVectors.sampleRequest
        tampered[30] ^= 0x01  // inside SOFTWARE, covered by both
        #expect(!STUNMessage.verifyIntegrity(of: tampered, key: key))
        #expect(!STUNMessage.verifyFingerprint(of: tampered))
        #expect(!STUNMessage.verifyIntegrity(of: STUNVectors.sampleRequest, key: Array("wrong".utf8)))
        var badMAC = STUNVectors.sampleRequest
        badMAC[badMAC.count - 12] ^= 0x80
        #expect(!STUNMessage.verifyIntegrity(of: badMAC, key: key))
        var badFingerprint = STUNVectors.sampleRequest
        badFingerprint[badFingerprint.count - 1] ^= 0x01
        #expect(!STUNMessage.verifyFingerprint(of: badFingerprint))
        #expect(STUNMessage.verifyIntegrity(of: badFingerprint, key: key), "FINGERPRINT is not covered by MESSAGE-INTEGRITY")
        #expect(!STUNMessage.verifyIntegrity(of: [0, 1, 2], key: key))
        #expect(!STUNMessage.verifyFingerprint(of: []))
    }

    @Test func attributesAfterIntegrityOtherThanFingerprintAreIgnored() throws {
        // Insert a PRIORITY between MESSAGE-INTEGRITY and FINGERPRINT of the IPv4 response.
        let base = STUNVectors.sampleIPv4Response
        var bytes = Array(base.dropLast(8)) + [0x00, 0x24, 0x00, 0x04, 1, 2, 3, 4] + base.suffix(8)
        bytes.setUInt16(UInt16(bytes.count - 20), at: 2)
        let message = try STUNMessage(parsing: bytes)
        #expect(message.priority == nil)
        #expect(message.hasFingerprint)
    }

    @Test func everyAttributeRoundTrips() throws {
        let attributes: [STUNAttribute] = [
            .username("abcd:efgh"),
            .xorMappedAddress(ip: [203, 0, 113, 7], port: 49152),
            .xorMappedAddress(ip: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1], port: 9),
            .priority(0x6e7f_1eff),
            .useCandidate,
            .iceControlling(tiebreaker: 0x0123_4567_89ab_cdef),
            .iceControlled(tiebreaker: .max),
            .errorCode(.roleConflict),
            .errorCode(STUNErrorCode(code: 300, reason: "")),
            .software("parley"),
            .unknown(type: 0xC057, value: [0, 1, 0, 5, 9]),
        ]
        let message = STUNMessage(messageClass: .indication, attributes: attributes)
        let plain = message.encoded(fingerprint: false)
        #expect(plain.count % 4 == 0)
        #expect(try STUNMessage(parsing: plain) == message)
        let signed = message.encoded(integrityKey: key, fingerprint: true)
        let parsed = try STUNMessage(parsing: signed)
        #expect(Array(parsed.attributes.dropLast(2)) == attributes)
        #expect(STUNMessage.verifyIntegrity(of: signed, key: key))
        #expect(STUNMessage.verifyFingerprint(of: signed))
        #expect(parsed.encoded(integrityKey: key, fingerprint: true) == signed)
    }

    @Test func fingerprintWithoutIntegrityAndIntegrityWithoutFingerprint() throws {
        let message = STUNMessage(messageClass: .request, attributes: [.username("a:b")])
        let fingerprinted = message.encoded(integrityKey: nil, fingerprint: true)
        #expect(STUNMessage.verifyFingerprint(of: fingerprinted))
        #expect(!STUNMessage.verifyIntegrity(of: fingerprinted, key: key))
        let signed = message.encoded(integrityKey: key, fingerprint: false)
        #expect(STUNMessage.verifyIntegrity(of: signed, key: key))
        #expect(!STUNMessage.verifyFingerprint(of: signed))
    }

    @Test func transactionIDsAreTwelveRandomBytes() {
        #expect(STUNTransactionID([1, 2, 3]) == nil)
        #expect(STUNTransactionID(STUNVectors.transactionID)?.description == "b7e7a701bc34d686fa87dfae")
        #expect(STUNTransactionID.random() != STUNTransactionID.random())
    }
}
