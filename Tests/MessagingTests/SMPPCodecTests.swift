import NIOCore
import Testing

@testable import Messaging

/// SMPP 3.4 PDU encoding and decoding: byte vectors built by hand from the specification's field layout,
/// round-trips of every command, stream framing, and hostile input.
@Suite struct SMPPCodecTests {
    /// Decodes every complete PDU in `bytes`.
    private func decodeAll(_ bytes: [UInt8]) throws -> [Result<SMPPPDU, SMPPDecodeError>] {
        var decoder = SMPPFrameDecoder()
        decoder.feed(bytes)
        var results: [Result<SMPPPDU, SMPPDecodeError>] = []
        while let next = try decoder.next() { results.append(next) }
        return results
    }

    private func decodeOne(_ bytes: [UInt8]) throws -> SMPPPDU {
        let results = try decodeAll(bytes)
        try #require(results.count == 1)
        return try results[0].get()
    }

    private func bytes(_ pdu: SMPPPDU) throws -> [UInt8] {
        Array(try pdu.encoded().readableBytesView)
    }

    private func cString(_ text: String) -> [UInt8] { Array(text.utf8) + [0] }

    private let sampleMessage = SMPPShortMessage(
        serviceType: "CMT", source: SMPPAddress(ton: 5, npi: 0, address: "Parley"),
        destination: SMPPAddress(ton: 1, npi: 1, address: "447700900123"), esmClass: 0x40, protocolID: 0,
        priorityFlag: 1, scheduleDeliveryTime: "", validityPeriod: "000001000000000R", registeredDelivery: 1,
        replaceIfPresentFlag: 0, dataCoding: 8, smDefaultMessageID: 0, shortMessage: [0x05, 0x00, 0x03, 0x2A, 0x02, 0x01, 0x00, 0x48],
        tlvs: SMPPTLV.segmentation(reference: 0x1234, total: 2, sequence: 1) + [SMPPTLV(tag: SMPPTLV.Tag(rawValue: 0x1401), value: [9, 9])]
    )

    // MARK: Known answers

    @Test func enquireLinkMatchesTheSpecificationLayout() throws {
        let expected: [UInt8] = [0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]
        #expect(try bytes(SMPPPDU(.enquireLink, sequenceNumber: 1)) == expected)
        #expect(try decodeOne(expected) == SMPPPDU(.enquireLink, sequenceNumber: 1))
    }

    @Test func bindTransceiverMatchesTheSpecificationLayout() throws {
        // 16-byte header, then system_id, password, system_type, interface_version, addr_ton, addr_npi,
        // address_range: 10 + 9 + 8 + 3 + 1 = 31 body bytes, 47 (0x2F) in all.
        let expected: [UInt8] =
            [0x00, 0x00, 0x00, 0x2F, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07]
            + cString("SMPP3TEST") + cString("secret08") + cString("SUBMIT1") + [0x34, 0x01, 0x01] + [0x00]
        let pdu = SMPPPDU(
            .bindTransceiver(SMPPBindRequest(systemID: "SMPP3TEST", password: "secret08", systemType: "SUBMIT1", addressTON: 1, addressNPI: 1)),
            sequenceNumber: 7
        )
        #expect(try bytes(pdu) == expected)
        #expect(try decodeOne(expected) == pdu)
    }

    @Test func submitSMMatchesTheSpecificationLayout() throws {
        // service_type, source ton/npi/addr, dest ton/npi/addr, esm_class, protocol_id, priority_flag,
        // schedule_delivery_time, validity_period, registered_delivery, replace_if_present_flag, data_coding,
        // sm_default_msg_id, sm_length, short_message: 1 + 9 + 14 + 3 + 1 + 1 + 4 + 1 + 2 = 36 body bytes.
        let body: [UInt8] =
            [0x00] + [0x05, 0x00] + cString("Parley") + [0x01, 0x01] + cString("15551234567") + [0x00, 0x00, 0x00]
            + [0x00] + [0x00] + [0x01, 0x00, 0x00, 0x00] + [0x02] + Array("Hi".utf8)
        let expected: [UInt8] = [0x00, 0x00, 0x00, 0x34, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00] + body
        let message = SMPPShortMessage(
            source: SMPPAddress(ton: 5, npi: 0, address: "Parley"), destination: SMPPAddress(ton: 1, npi: 1, address: "15551234567"),
            registeredDelivery: 1, shortMessage: Array("Hi".utf8)
        )
        #expect(try bytes(SMPPPDU(.submitSM(message), sequenceNumber: 256)) == expected)
        #expect(try decodeOne(expected) == SMPPPDU(.submitSM(message), sequenceNumber: 256))
    }

    @Test func submitSMRespAndGenericNackMatchTheLayout() throws {
        let response: [UInt8] = [0x00, 0x00, 0x00, 0x17, 0x80, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05] + cString("5F3A9B")
        #expect(try decodeOne(response) == SMPPPDU(.submitSMResp(messageID: "5F3A9B"), sequenceNumber: 5))
        let nack: [UInt8] = [0x00, 0x00, 0x00, 0x10, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x09]
        #expect(try bytes(SMPPPDU(.genericNack, sequenceNumber: 9, status: .invalidCommandID)) == nack)
    }

    // MARK: Round trips

    @Test(arguments: [
        SMPPPDU.Body.bindTransceiver(SMPPBindRequest(systemID: "parley", password: "pw", addressRange: "^447")),
        .bindTransceiverResp(SMPPBindResponse(systemID: "SMSC", tlvs: [SMPPTLV(tag: .scInterfaceVersion, value: [0x34])])),
        .unbind, .unbindResp, .enquireLink, .enquireLinkResp, .genericNack,
        .submitSMResp(messageID: "0123456789abcdef"), .deliverSMResp,
        .unknown(SMPPCommandID(rawValue: 0x0000_0103), body: [1, 2, 3]),
    ])
    func everyCommandRoundTrips(body: SMPPPDU.Body) throws {
        let pdu = SMPPPDU(body, sequenceNumber: 0x7FFF_FFFF, status: body.commandID.isResponse ? .systemError : .ok)
        #expect(try decodeOne(bytes(pdu)) == pdu)
    }

    @Test func submitAndDeliverRoundTripWithEveryFieldAndTLV() throws {
        for pdu in [SMPPPDU(.submitSM(sampleMessage), sequenceNumber: 42), SMPPPDU(.deliverSM(sampleMessage), sequenceNumber: 43)] {
            let decoded = try decodeOne(bytes(pdu))
            #expect(decoded == pdu)
        }
        #expect(sampleMessage.tlvs.sarMessageReference == 0x1234)
        #expect(sampleMessage.tlvs.sarTotalSegments == 2)
        #expect(sampleMessage.tlvs.sarSegmentSequence == 1)
        #expect(sampleMessage.tlvs.value(for: SMPPTLV.Tag(rawValue: 0x1401)) == [9, 9])
    }

    @Test func typedTLVAccessorsReadTheirValuesAndRefuseWrongLengths() {
        let tlvs = [
            SMPPTLV.messagePayload(Array("long text".utf8)),
            SMPPTLV(tag: .receiptedMessageID, value: cString("ABC123")),
            SMPPTLV(tag: .messageState, value: [5]),
            SMPPTLV(tag: .networkErrorCode, value: [3, 0x00, 0x0B]),
        ]
        #expect(tlvs.messagePayload == Array("long text".utf8))
        #expect(tlvs.receiptedMessageID == "ABC123")
        #expect(tlvs.messageState == .undeliverable)
        #expect(tlvs.networkErrorCode == SMPPNetworkErrorCode(networkType: 3, errorCode: 11))
        #expect(tlvs.networkErrorCode?.description == "GSM 0x000B")
        let wrong = [SMPPTLV(tag: .messageState, value: [2, 0]), SMPPTLV(tag: .networkErrorCode, value: [3]), SMPPTLV(tag: .messageState, value: [9])]
        #expect(wrong.messageState == nil)
        #expect(wrong.networkErrorCode == nil)
        #expect([SMPPTLV(tag: .messageState, value: [9])].messageState == nil)
        #expect(SMPPShortMessage(shortMessage: [1], tlvs: [.messagePayload([2, 3])]).payload == [2, 3])
    }

    @Test func messageTypeComesFromESMClassBits2To5() {
        #expect(SMPPShortMessage(esmClass: 0x00).messageType == .normal)
        #expect(SMPPShortMessage(esmClass: 0x04).messageType == .deliveryReceipt)
        #expect(SMPPShortMessage(esmClass: 0x44).messageType == .deliveryReceipt)
        #expect(SMPPShortMessage(esmClass: 0x20).messageType == .intermediateNotification)
        #expect(SMPPShortMessage(esmClass: 0x08).messageType == .other(0x08))
        #expect(SMPPShortMessage(esmClass: 0x43).messageType == .normal)
    }

    @Test func statusesHaveNamesForLogs() {
        #expect(SMPPCommandStatus.throttled.description == "ESME_RTHROTTLED (0x00000058): Throttling error")
        #expect(SMPPCommandStatus.invalidDataCoding.name == "ESME_RINVDCS")
        #expect(SMPPCommandStatus(rawValue: 0x0A).name == "ESME_RINVSRCADR")
        #expect(SMPPCommandStatus(rawValue: 0x400).name == nil)
        #expect(SMPPCommandStatus(rawValue: 0x400).description == "0x00000400: vendor-specific or unknown status")
        #expect(SMPPCommandStatus.messageQueueFull.isThrottling && !SMPPCommandStatus.submitFailed.isThrottling)
        #expect(SMPPCommandID.deliverSMResp.description == "deliver_sm_resp")
        #expect(SMPPCommandID(rawValue: 0x103).description == "0x00000103")
    }

    // MARK: Lenient decoding

    @Test func failedResponsesMayOmitTheirBody() throws {
        let header: [UInt8] = [0x00, 0x00, 0x00, 0x10, 0x80, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x45, 0x00, 0x00, 0x00, 0x02]
        #expect(try decodeOne(header) == SMPPPDU(.submitSMResp(messageID: ""), sequenceNumber: 2, status: .submitFailed))
        var bind = header
        bind[7] = 0x09
        #expect(try decodeOne(bind) == SMPPPDU(.bindTransceiverResp(SMPPBindResponse(systemID: "")), sequenceNumber: 2, status: .submitFailed))
    }

    // MARK: Framing

    @Test func pdusSurviveAnySplitOrMergeOfTCPReads() throws {
        let pdus = [
            SMPPPDU(.deliverSM(sampleMessage), sequenceNumber: 1), SMPPPDU(.enquireLink, sequenceNumber: 2),
            SMPPPDU(.submitSMResp(messageID: "x"), sequenceNumber: 3),
        ]
        let stream = try pdus.flatMap { try bytes($0) }
        for chunkSize in [1, 2, 3, 7, 16, 17, 100, stream.count] {
            var decoder = SMPPFrameDecoder()
            var decoded: [SMPPPDU] = []
            var offset = 0
            while offset < stream.count {
                decoder.feed(stream[offset..<min(offset + chunkSize, stream.count)])
                offset += chunkSize
                while let next = try decoder.next() { decoded.append(try next.get()) }
            }
            #expect(decoded == pdus, "chunks of \(chunkSize)")
            #expect(decoder.bufferedByteCount == 0)
        }
    }

    @Test func aPartialPDUWaitsForTheRest() throws {
        var decoder = SMPPFrameDecoder()
        let enquire = try bytes(SMPPPDU(.enquireLink, sequenceNumber: 1))
        decoder.feed(enquire.prefix(15))
        #expect(try decoder.next() == nil)
        decoder.feed(ByteBuffer(bytes: enquire.suffix(1)))
        #expect(try decoder.next()?.get() == SMPPPDU(.enquireLink, sequenceNumber: 1))
    }

    @Test func lengthsOutsideTheLimitsAreFramingErrors() throws {
        var short = SMPPFrameDecoder()
        short.feed([0x00, 0x00, 0x00, 0x0F] + Array(repeating: 0, count: 20))
        #expect(throws: SMPPFramingError(commandLength: 15, maximumLength: 65_536)) { try short.next() }
        // The error sticks: the stream has no trustworthy boundary any more.
        #expect(throws: SMPPFramingError.self) { try short.next() }

        // A hostile length is refused from its first four bytes, before anything is buffered for it.
        var long = SMPPFrameDecoder(maximumLength: 1024)
        long.feed([0x00, 0x00, 0x04, 0x01])
        #expect(throws: SMPPFramingError(commandLength: 1025, maximumLength: 1024)) { try long.next() }
    }

    // MARK: Malformed bodies

    @Test func unknownCommandsDecodeWithTheirRawBody() throws {
        let outbind: [UInt8] = [0x00, 0x00, 0x00, 0x13, 0x00, 0x00, 0x00, 0x0B, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x61, 0x00, 0x00]
        #expect(try decodeOne(outbind) == SMPPPDU(.unknown(SMPPCommandID(rawValue: 0x0B), body: [0x61, 0x00, 0x00]), sequenceNumber: 4))
    }

    @Test func malformedBodiesCarryTheSequenceNumberAndANackStatus() throws {
        let header: (UInt32) -> [UInt8] = { length in
            [0, 0, 0, UInt8(length), 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x39]
        }
        let valid = try bytes(SMPPPDU(.deliverSM(SMPPShortMessage(shortMessage: [1, 2, 3])), sequenceNumber: 12345))
        let body = Array(valid.dropFirst(16))
        // source_addr at its limit (20 characters and the NUL) decodes; one character more does not.
        let longest = SMPPShortMessage(source: SMPPAddress(address: String(repeating: "1", count: 20)))
        let longestBody = Array(try bytes(SMPPPDU(.deliverSM(longest), sequenceNumber: 1)).dropFirst(16))
        #expect(try decodeOne(header(UInt32(16 + longestBody.count)) + longestBody).body == .deliverSM(longest))
        var tooLong = longestBody
        tooLong.insert(0x31, at: 3)
        let cases: [(body: [UInt8], status: SMPPCommandStatus)] = [
            (Array(body.prefix(5)), .invalidCommandLength),  // ends inside the fields
            (tooLong, .invalidCommandLength),  // source_addr without NUL in 21 bytes
            (Array(body.dropLast(1)), .invalidMessageLength),  // sm_length beyond the body
            (body + [0x04, 0x24, 0x00], .invalidOptionalParameterStream),  // half a TLV header
            (body + [0x04, 0x24, 0x00, 0x05, 0x41], .invalidOptionalParameterStream),  // TLV value cut short
        ]
        for (badBody, status) in cases {
            let result = try #require(try decodeAll(header(UInt32(16 + badBody.count)) + badBody).first)
            guard case .failure(let error) = result else {
                Issue.record("decoded \(badBody)")
                continue
            }
            #expect(error.status == status)
            #expect(error.sequenceNumber == 12345)
            #expect(error.commandID == .deliverSM)
        }
    }

    @Test func decodingGoesOnAfterAMalformedBody() throws {
        let broken: [UInt8] = [0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00]
        let results = try decodeAll(broken + bytes(SMPPPDU(.enquireLink, sequenceNumber: 2)))
        #expect(results.count == 2)
        #expect(try results[1].get() == SMPPPDU(.enquireLink, sequenceNumber: 2))
    }

    @Test func encodingRefusesFieldsThatDoNotFit() {
        #expect(throws: SMPPEncodingError(field: "short_message", reason: "255 bytes, at most 254 allowed (use message_payload)")) {
            try SMPPPDU(.submitSM(SMPPShortMessage(shortMessage: Array(repeating: 0x41, count: 255))), sequenceNumber: 1).encoded()
        }
        #expect(throws: SMPPEncodingError(field: "system_id", reason: "16 bytes, at most 15 allowed")) {
            try SMPPPDU(.bindTransceiver(SMPPBindRequest(systemID: String(repeating: "s", count: 16), password: "")), sequenceNumber: 1).encoded()
        }
        #expect(throws: SMPPEncodingError(field: "destination_addr", reason: "contains NUL")) {
            try SMPPPDU(.submitSM(SMPPShortMessage(destination: SMPPAddress(address: "1\u{0}2"))), sequenceNumber: 1).encoded()
        }
        #expect(throws: SMPPEncodingError.self) {
            try SMPPPDU(.submitSM(SMPPShortMessage(tlvs: [.messagePayload(Array(repeating: 0, count: 65_536))])), sequenceNumber: 1).encoded()
        }
        #expect(throws: Never.self) {
            try SMPPPDU(.submitSM(SMPPShortMessage(shortMessage: Array(repeating: 0x41, count: 254))), sequenceNumber: 1).encoded()
        }
    }

    // MARK: Hostile input

    @Test func randomAndMutatedInputNeverCrashesAndDecodedPDUsReencodeStably() throws {
        var random = SMPPFuzzGenerator(seed: 0x5EED_0003_4000_0001)
        let seeds = try [
            SMPPPDU(.submitSM(sampleMessage), sequenceNumber: 1), SMPPPDU(.deliverSM(sampleMessage), sequenceNumber: 2),
            SMPPPDU(.bindTransceiver(SMPPBindRequest(systemID: "id", password: "pw")), sequenceNumber: 3),
            SMPPPDU(.bindTransceiverResp(SMPPBindResponse(systemID: "SMSC")), sequenceNumber: 4),
            SMPPPDU(.submitSMResp(messageID: "abc"), sequenceNumber: 5),
        ].map { try bytes($0) }
        var decodedCount = 0
        for round in 0..<3_000 {
            var input: [UInt8]
            if round % 3 == 0 {
                input = (0..<Int.random(in: 0...80, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                input = seeds[round % seeds.count]
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    input[Int.random(in: 0..<input.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
                // Every other round cuts the body short but keeps command_length consistent, so the body
                // parsers (not only the framing) meet truncation.
                if round % 2 == 0 {
                    input = Array(input.prefix(Int.random(in: 16...input.count, using: &random)))
                    input.replaceSubrange(0..<4, with: [0, 0, 0, UInt8(truncatingIfNeeded: input.count)])
                }
            }
            var decoder = SMPPFrameDecoder(maximumLength: 4096)
            decoder.feed(input)
            while let next = try? decoder.next() {
                guard case .success(let pdu) = next, let again = try? pdu.encoded() else { continue }
                decodedCount += 1
                var second = SMPPFrameDecoder()
                second.feed(again)
                #expect(try second.next()?.get() == pdu)
            }
        }
        #expect(decodedCount > 100, "the mutations should still let many PDUs through")
    }
}

/// A deterministic generator (SplitMix64) so a failing fuzz round reproduces.
private struct SMPPFuzzGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
