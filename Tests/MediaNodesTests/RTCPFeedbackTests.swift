import Testing

@testable import MediaNodes

@Suite struct RTCPFeedbackTests {
    @Test func parsesANACKCaptureExpandingItsBitmask() throws {
        let nack: [UInt8] = [
            0x81, 0xCD, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
            0x00, 0x64, 0x00, 0x05,  // PID 100, BLP bits 0 and 2
        ]
        let expected = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: [100, 101, 103])
        #expect(try RTCPPacket.parseCompound(nack) == [.genericNACK(expected)])
        #expect(RTCPPacket.serialize([.genericNACK(expected)]) == nack)
    }

    @Test func packsLostSequenceNumbersIntoTheFewestPairsAcrossWraparound() {
        let wrapping = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: [5, 65535, 0, 65534, 16, 15, 0])
        let pairs = wrapping.packedPairs
        #expect(pairs.map(\.packetID) == [65534, 15])
        #expect(pairs.map(\.bitmask) == [0b100_0011, 0b1])

        let seventeen = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: Array(100...116))
        #expect(seventeen.packedPairs.map(\.packetID) == [100])
        #expect(seventeen.packedPairs.map(\.bitmask) == [0xFFFF])
        let eighteen = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: Array(100...117))
        #expect(eighteen.packedPairs.map(\.packetID) == [100, 117])
        #expect(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: []).packedPairs.isEmpty)
    }

    @Test func nackRoundTripsInWraparoundOrder() throws {
        let nack = RTCPGenericNACK(senderSSRC: 7, mediaSSRC: 8, lostSequenceNumbers: [65530, 65535, 3, 40, 41, 60])
        let parsed = try RTCPPacket.parseCompound(RTCPPacket.serialize([.genericNACK(nack)]))
        #expect(parsed == [.genericNACK(nack)])
    }

    @Test func parsesAndWritesPLIAndFIR() throws {
        let pli: [UInt8] = [0x81, 0xCE, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0xAB, 0xCD, 0xEF, 0x01]
        let expectedPLI = RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 0xABCD_EF01)
        #expect(try RTCPPacket.parseCompound(pli) == [.pli(expectedPLI)])
        #expect(RTCPPacket.serialize([.pli(expectedPLI)]) == pli)

        let fir: [UInt8] = [
            0x84, 0xCE, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
            0xAB, 0xCD, 0xEF, 0x01, 0x07, 0x00, 0x00, 0x00,
        ]
        let expectedFIR = RTCPFullIntraRequest(senderSSRC: 1, entries: [.init(ssrc: 0xABCD_EF01, commandSequenceNumber: 7)])
        #expect(try RTCPPacket.parseCompound(fir) == [.fir(expectedFIR)])
        #expect(RTCPPacket.serialize([.fir(expectedFIR)]) == fir)
    }

    @Test func parsesAndWritesREMB() throws {
        let remb: [UInt8] = [
            0x8F, 0xCE, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
            0x52, 0x45, 0x4D, 0x42, 0x01, 0x0B, 0xD0, 0x90,  // "REMB", 1 SSRC, exponent 2, mantissa 250000
            0x12, 0x34, 0x56, 0x78,
        ]
        let expected = RTCPReceiverEstimatedMaxBitrate(senderSSRC: 1, bitrate: 1_000_000, ssrcs: [0x1234_5678])
        #expect(try RTCPPacket.parseCompound(remb) == [.remb(expected)])
        #expect(RTCPPacket.serialize([.remb(expected)]) == remb)

        let huge = RTCPReceiverEstimatedMaxBitrate(senderSSRC: 1, bitrate: 3_000_000_007, ssrcs: [1, 2])
        guard case .remb(let parsed) = try RTCPPacket.parseCompound(RTCPPacket.serialize([.remb(huge)])).first else {
            Issue.record("not a REMB")
            return
        }
        #expect(parsed.ssrcs == [1, 2])
        #expect(parsed.bitrate <= huge.bitrate && huge.bitrate - parsed.bitrate < 1 << 14)  // 18 significant bits
    }

    @Test func leavesOtherApplicationFeedbackUnknown() throws {
        let other: [UInt8] = [0x8F, 0xCE, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, 0x41, 0x42, 0x43, 0x44]
        #expect(try RTCPPacket.parseCompound(other) == [.unknown(type: 206, bytes: other)])
        let otherFormat: [UInt8] = [0x83, 0xCD, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2]  // TMMBR
        #expect(try RTCPPacket.parseCompound(otherFormat) == [.unknown(type: 205, bytes: otherFormat)])
    }

    @Test func refusesMalformedFeedback() {
        let cases: [[UInt8]] = [
            [0x81, 0xCD, 0x00, 0x01, 0, 0, 0, 1],  // NACK without media SSRC
            [0x81, 0xCE, 0x00, 0x01, 0, 0, 0, 1],  // PLI without media SSRC
            [0x84, 0xCE, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1],  // FIR entry cut in half
            [0x8F, 0xCE, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0, 0x52, 0x45, 0x4D, 0x42, 0x01, 0x00, 0x00, 0x01],  // REMB SSRC missing
            [0x8F, 0xCE, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0, 0x52, 0x45, 0x4D, 0x42, 0x00, 0xFC, 0x00, 0x02],  // 2×2^63 bps
        ]
        for bytes in cases {
            #expect(throws: MalformedPacket.self, "\(bytes)") { try RTCPPacket.parseCompound(bytes) }
        }
    }

    @Test func roundTripsACompoundOfEveryKind() throws {
        let packets: [RTCPPacket] = [
            .senderReport(RTCPSenderReport(senderSSRC: 1, ntpTimestamp: 1 << 40, rtpTimestamp: 2, packetCount: 3, octetCount: 4)),
            .sourceDescription([RTCPSourceDescriptionChunk(ssrc: 1, items: [.cname("parley")])]),
            .genericNACK(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: [9])),
            .pli(RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 2)),
            .fir(RTCPFullIntraRequest(senderSSRC: 1, entries: [.init(ssrc: 2, commandSequenceNumber: 255), .init(ssrc: 3, commandSequenceNumber: 0)])),
            .remb(RTCPReceiverEstimatedMaxBitrate(senderSSRC: 1, bitrate: 250_000, ssrcs: [2, 3])),
            .transportCC(TransportCCFeedback(senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 3, referenceTime: 4, feedbackPacketCount: 5, receiveDeltas: [1, nil, 300])),
            .goodbye(RTCPGoodbye(ssrcs: [1], reason: "bye")),
        ]
        let bytes = RTCPPacket.serialize(packets)
        #expect(DatagramKind.classify(bytes) == .rtcp)
        #expect(try RTCPPacket.parseCompound(bytes) == packets)
    }

    @Test func rewritesMediaSSRCsOfFeedbackInPlace() throws {
        let publisher: UInt32 = 0xAAAA_AAAA
        let outgoing: UInt32 = 0x0000_0B0B
        let packets: [RTCPPacket] = [
            .receiverReport(RTCPReceiverReport(senderSSRC: 9, reportBlocks: [RTCPReportTests.block])),
            .pli(RTCPPictureLossIndication(senderSSRC: 9, mediaSSRC: outgoing)),
            .genericNACK(RTCPGenericNACK(senderSSRC: 9, mediaSSRC: outgoing, lostSequenceNumbers: [1, 2])),
            .fir(RTCPFullIntraRequest(senderSSRC: 9, entries: [.init(ssrc: outgoing, commandSequenceNumber: 1), .init(ssrc: 77, commandSequenceNumber: 2)])),
        ]
        var bytes = RTCPPacket.serialize(packets)
        var offered: [UInt32] = []
        try RTCPPacket.rewriteMediaSSRCs(in: &bytes) { ssrc in
            offered.append(ssrc)
            return ssrc == outgoing ? publisher : nil
        }
        #expect(offered == [outgoing, outgoing, outgoing, 77])
        #expect(try RTCPPacket.parseCompound(bytes) == [
            .receiverReport(RTCPReceiverReport(senderSSRC: 9, reportBlocks: [RTCPReportTests.block])),
            .pli(RTCPPictureLossIndication(senderSSRC: 9, mediaSSRC: publisher)),
            .genericNACK(RTCPGenericNACK(senderSSRC: 9, mediaSSRC: publisher, lostSequenceNumbers: [1, 2])),
            .fir(RTCPFullIntraRequest(senderSSRC: 9, entries: [.init(ssrc: publisher, commandSequenceNumber: 1), .init(ssrc: 77, commandSequenceNumber: 2)])),
        ])

        var malformed = bytes + [0x80]
        let before = malformed
        #expect(throws: MalformedPacket.self) { try RTCPPacket.rewriteMediaSSRCs(in: &malformed) { _ in 1 } }
        #expect(malformed == before)
    }
}
