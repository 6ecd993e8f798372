import Testing

@testable import MediaNodes

@Suite struct RTCPTransportCCTests {
    /// Base 100, five packets: received +1 ms, lost, received -1 ms (a large delta), +0, +63.75 ms, in
    /// one 2-bit status vector, then RTCP padding of one byte.
    static let capture: [UInt8] = [
        0xAF, 0xCD, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
        0x00, 0x64, 0x00, 0x05,  // base sequence 100, 5 statuses
        0x00, 0x00, 0x10, 0x03,  // reference time 16 (×64 ms), feedback packet 3
        0xD2, 0x50,  // status vector, 2-bit: small, not received, large, small, small, (unused ×2)
        0x04, 0xFF, 0xFC, 0x00, 0xFF,  // deltas
        0x01,  // padding
    ]
    static let feedback = TransportCCFeedback(
        senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 100, referenceTime: 16, feedbackPacketCount: 3, receiveDeltas: [4, nil, -4, 0, 255])

    @Test func parsesAndWritesACaptureWithATwoBitVector() throws {
        #expect(try RTCPPacket.parseCompound(Self.capture) == [.transportCC(Self.feedback)])
        #expect(RTCPPacket.serialize([.transportCC(Self.feedback)]) == Self.capture)
    }

    @Test func readsRunLengthChunksCutToTheStatusCount() throws {
        let bytes: [UInt8] = [
            0x8F, 0xCD, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
            0x00, 0x01, 0x00, 0x03, 0xFF, 0xFF, 0xFF, 0x00,  // base 1, 3 statuses, reference time -1
            0x20, 0x14,  // run of 20 small deltas, of which 3 count
            0x01, 0x02, 0x03, 0x00, 0x00, 0x00,  // deltas, then filler bytes without the padding bit
        ]
        let expected = TransportCCFeedback(senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 1, referenceTime: -1, feedbackPacketCount: 0, receiveDeltas: [1, 2, 3])
        #expect(try RTCPPacket.parseCompound(bytes) == [.transportCC(expected)])
    }

    @Test func readsOneBitVectors() throws {
        let bytes: [UInt8] = [
            0x8F, 0xCD, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
            0xFF, 0xFF, 0x00, 0x0E, 0x00, 0x00, 0x01, 0x00,  // base 65535, 14 statuses
            0xAC, 0x01,  // 1-bit vector: 1 0 1 1 0 0 0 0 0 0 0 0 0 1
            0x08, 0x10, 0x18, 0x20, 0x00, 0x00,  // deltas, filler
        ]
        let parsed = try RTCPPacket.parseCompound(bytes)
        let deltas: [Int16?] = [8, nil, 16, 24, nil, nil, nil, nil, nil, nil, nil, nil, nil, 32]
        #expect(parsed == [.transportCC(TransportCCFeedback(senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 65535, referenceTime: 1, feedbackPacketCount: 0, receiveDeltas: deltas))])
    }

    @Test func choosesChunksByRunsAndSymbolWidth() {
        typealias Symbol = TransportCCFeedback.Symbol
        #expect(TransportCCFeedback.packetChunks(Array(repeating: .smallDelta, count: 20)) == [0x2014])
        #expect(TransportCCFeedback.packetChunks(Array(repeating: .notReceived, count: 100) + [.smallDelta]) == [0x0064, 0xA000])
        let mixed: [Symbol] = [.smallDelta, .notReceived, .smallDelta, .smallDelta] + Array(repeating: .notReceived, count: 9) + [.smallDelta]
        #expect(TransportCCFeedback.packetChunks(mixed) == [0xAC01])
        #expect(TransportCCFeedback.packetChunks(Array(repeating: .largeOrNegativeDelta, count: 8) + [.smallDelta]) == [0x4008, 0xA000])
        #expect(TransportCCFeedback.packetChunks(Array(repeating: .notReceived, count: 10_000) + [.smallDelta]) == [0x1FFF, 0x0711, 0xA000])
        #expect(TransportCCFeedback.packetChunks([]) == [])
    }

    @Test func roundTripsLongMixedFeedback() throws {
        var deltas: [Int16?] = []
        for index in 0..<3000 {
            switch index % 37 {
            case 0..<5: deltas.append(nil)
            case 5: deltas.append(-100)
            case 6: deltas.append(1000)
            default: deltas.append(Int16(index % 200))
            }
        }
        deltas += Array(repeating: nil, count: 9000) + [Int16.min, Int16.max]
        let feedback = TransportCCFeedback(senderSSRC: 5, mediaSSRC: 6, baseSequenceNumber: 65000, referenceTime: -0x80_0000, feedbackPacketCount: 255, receiveDeltas: deltas)
        let bytes = RTCPPacket.serialize([.transportCC(feedback)])
        #expect(bytes.count % 4 == 0)
        #expect(try RTCPPacket.parseCompound(bytes) == [.transportCC(feedback)])
    }

    @Test func refusesMalformedTransportFeedback() {
        let cases: [[UInt8]] = [
            // The reserved symbol 3 in a 2-bit vector.
            [0x8F, 0xCD, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 2, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 0, 0xF0, 0x00, 0x00, 0x00],
            // Two large deltas announced, one present.
            [0x8F, 0xCD, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 2, 0x00, 0x01, 0x00, 0x02, 0, 0, 0, 0, 0x40, 0x02, 0x01, 0x00],
            // Statuses announced, no chunks.
            [0x8F, 0xCD, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 2, 0x00, 0x01, 0x00, 0x02, 0, 0, 0, 0],
            // Fixed fields cut short.
            [0x8F, 0xCD, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0x00, 0x01, 0x00, 0x02],
        ]
        for bytes in cases {
            #expect(throws: MalformedPacket.self, "\(bytes)") { try RTCPPacket.parseCompound(bytes) }
        }
    }
}
