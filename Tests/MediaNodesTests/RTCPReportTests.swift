import Testing

@testable import MediaNodes

@Suite struct RTCPReportTests {
    /// An SR (RFC 3550 §6.4.1) with one report block, written out field by field.
    static let senderReport: [UInt8] = [
        0x81, 0xC8, 0x00, 0x0C,  // V=2 RC=1 PT=200 length=12
        0x11, 0x22, 0x33, 0x44,  // sender SSRC
        0xE1, 0xB2, 0xC3, 0xD4, 0x80, 0x00, 0x00, 0x00,  // NTP timestamp
        0x00, 0x00, 0x10, 0x00,  // RTP timestamp
        0x00, 0x00, 0x00, 0x10,  // packet count
        0x00, 0x00, 0x08, 0x00,  // octet count
        0x55, 0x66, 0x77, 0x88,  // report block: SSRC
        0x40, 0xFF, 0xFF, 0xFE,  // fraction lost 1/4, cumulative lost -2
        0x00, 0x01, 0xFF, 0xFF,  // extended highest sequence number
        0x00, 0x00, 0x00, 0x20,  // jitter
        0xC3, 0xD4, 0x80, 0x00,  // LSR
        0x00, 0x01, 0x00, 0x00,  // DLSR
    ]

    static let block = RTCPReportBlock(
        ssrc: 0x5566_7788, fractionLost: 0x40, cumulativeLost: -2, extendedHighestSequenceNumber: 0x1_FFFF, jitter: 0x20,
        lastSenderReport: 0xC3D4_8000, delaySinceLastSenderReport: 0x1_0000)

    @Test func parsesASenderReportCapture() throws {
        let packets = try RTCPPacket.parseCompound(Self.senderReport)
        let expected = RTCPSenderReport(
            senderSSRC: 0x1122_3344, ntpTimestamp: 0xE1B2_C3D4_8000_0000, rtpTimestamp: 0x1000, packetCount: 16, octetCount: 2048,
            reportBlocks: [Self.block])
        #expect(packets == [.senderReport(expected)])
        #expect(RTCPPacket.serialize(packets) == Self.senderReport)
    }

    @Test func roundTripsReceiverReportsAndSplitsPast31Blocks() throws {
        let empty = RTCPReceiverReport(senderSSRC: 1, reportBlocks: [])
        #expect(RTCPPacket.serialize([.receiverReport(empty)]) == [0x80, 0xC9, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01])
        var positive = Self.block
        positive.cumulativeLost = 0x7F_FFFF
        let two = RTCPReceiverReport(senderSSRC: 9, reportBlocks: [Self.block, positive])
        #expect(try RTCPPacket.parseCompound(RTCPPacket.serialize([.receiverReport(two)])) == [.receiverReport(two)])

        let many = (0..<40).map { index in
            RTCPReportBlock(ssrc: UInt32(index), fractionLost: 0, cumulativeLost: 0, extendedHighestSequenceNumber: 0, jitter: 0, lastSenderReport: 0, delaySinceLastSenderReport: 0)
        }
        let parsed = try RTCPPacket.parseCompound(RTCPPacket.serialize([.receiverReport(RTCPReceiverReport(senderSSRC: 9, reportBlocks: many))]))
        #expect(parsed == [
            .receiverReport(RTCPReceiverReport(senderSSRC: 9, reportBlocks: Array(many[..<31]))),
            .receiverReport(RTCPReceiverReport(senderSSRC: 9, reportBlocks: Array(many[31...]))),
        ])
    }

    @Test func clampsCumulativeLossToTwentyFourBits() throws {
        var block = Self.block
        block.cumulativeLost = -10_000_000
        let parsed = try RTCPPacket.parseCompound(RTCPPacket.serialize([.receiverReport(RTCPReceiverReport(senderSSRC: 1, reportBlocks: [block]))]))
        guard case .receiverReport(let report) = parsed.first else { Issue.record("not an RR"); return }
        #expect(report.reportBlocks.first?.cumulativeLost == -0x80_0000)
    }

    @Test func parsesSourceDescriptionCapture() throws {
        let sdes: [UInt8] = [
            0x81, 0xCA, 0x00, 0x03, 0x11, 0x22, 0x33, 0x44,
            0x01, 0x04, 0x61, 0x62, 0x63, 0x64, 0x00, 0x00,  // CNAME "abcd", null, null
        ]
        let chunk = RTCPSourceDescriptionChunk(ssrc: 0x1122_3344, items: [.cname("abcd")])
        #expect(try RTCPPacket.parseCompound(sdes) == [.sourceDescription([chunk])])
        #expect(chunk.cname == "abcd")
        #expect(RTCPPacket.serialize([.sourceDescription([chunk])]) == sdes)
    }

    @Test func roundTripsSourceDescriptionsOfSeveralChunksAndItems() throws {
        let chunks = [
            RTCPSourceDescriptionChunk(ssrc: 1, items: [.cname("x7JqCbvAq5mD7hbd"), RTCPSourceDescriptionItem(type: 6, value: Array("parley".utf8))]),
            RTCPSourceDescriptionChunk(ssrc: 2, items: []),
            RTCPSourceDescriptionChunk(ssrc: 3, items: [.cname("a")]),  // the item and its null exactly fill a word
        ]
        let bytes = RTCPPacket.serialize([.sourceDescription(chunks)])
        #expect(bytes.count % 4 == 0)
        #expect(try RTCPPacket.parseCompound(bytes) == [.sourceDescription(chunks)])
        #expect(chunks[1].cname == nil)
    }

    @Test func parsesAndWritesGoodbyes() throws {
        let bye: [UInt8] = [0x81, 0xCB, 0x00, 0x03, 0x11, 0x22, 0x33, 0x44, 0x04, 0x67, 0x6F, 0x6E, 0x65, 0x00, 0x00, 0x00]
        let goodbye = RTCPGoodbye(ssrcs: [0x1122_3344], reason: "gone")
        #expect(try RTCPPacket.parseCompound(bye) == [.goodbye(goodbye)])
        #expect(RTCPPacket.serialize([.goodbye(goodbye)]) == bye)
        let silent = RTCPGoodbye(ssrcs: [1, 2, 3])
        #expect(RTCPPacket.serialize([.goodbye(silent)]) == [0x83, 0xCB, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3])
        #expect(try RTCPPacket.parseCompound(RTCPPacket.serialize([.goodbye(silent)])) == [.goodbye(silent)])
    }

    @Test func keepsUnknownPacketsByteForByte() throws {
        let app: [UInt8] = [0x80, 0xCC, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x54, 0x45, 0x53, 0x54]  // APP "TEST"
        let parsed = try RTCPPacket.parseCompound(app + Self.senderReport)
        #expect(parsed.first == .unknown(type: 204, bytes: app))
        #expect(RTCPPacket.serialize(parsed) == app + Self.senderReport)
    }

    @Test func stripsPaddingFromTheLastPacket() throws {
        let padded: [UInt8] = [0xA0, 0xC9, 0x00, 0x02, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x04]
        #expect(try RTCPPacket.parseCompound(padded) == [.receiverReport(RTCPReceiverReport(senderSSRC: 5, reportBlocks: []))])
    }

    @Test func refusesMalformedCompounds() {
        let receiverReport: [UInt8] = [0x80, 0xC9, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01]
        let cases: [[UInt8]] = [
            [],
            [0x80, 0xC9, 0x00],  // truncated header
            [0x40, 0xC9, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01],  // version 1
            [0x80, 0xC9, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01],  // length lies
            receiverReport + [0x80],  // a stray byte after a good packet
            [0x81, 0xC9, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01],  // one report block announced, none present
            [0x80, 0xC8, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0xE1, 0xB2, 0xC3, 0xD4],  // SR body cut short, length consistent
            [0xA0, 0xC9, 0x00, 0x01, 0x00, 0x00, 0x00, 0x09],  // padding longer than the body
            [0xA0, 0xC9, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00],  // zero padding count
            [0x81, 0xCA, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x09, 0x61, 0x62],  // SDES item overruns
            [0x81, 0xCA, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x61, 0x62],  // SDES item never terminated
            [0x81, 0xCB, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x09, 0x61, 0x62, 0x63],  // BYE reason overruns
        ]
        for bytes in cases {
            #expect(throws: MalformedPacket.self, "\(bytes)") { try RTCPPacket.parseCompound(bytes) }
        }
    }
}
