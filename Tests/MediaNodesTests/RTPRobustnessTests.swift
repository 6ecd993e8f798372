import Testing

@testable import MediaNodes

/// Every parser meets every truncation and every single-byte corruption of valid packets, and must
/// answer with a value or `MalformedPacket`, never a crash (a cheap stand-in for the fuzzers).
@Suite struct RTPRobustnessTests {
    /// `bytes` cut at every length, and with each byte replaced by a few telling values.
    static func variations(of bytes: [UInt8]) -> [[UInt8]] {
        var variations = (0..<bytes.count).map { Array(bytes.prefix($0)) }
        for index in bytes.indices {
            for value: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF] where bytes[index] != value {
                var corrupted = bytes
                corrupted[index] = value
                variations.append(corrupted)
            }
        }
        return variations
    }

    @Test func rtpParsersSurviveCorruption() {
        let packet = RTPHeader.makePacket(
            marker: true, payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrcs: [4],
            extensions: [RTPHeaderExtensionValue(id: 1, value: [0x90]), RTPHeaderExtensionValue(id: 2, value: [1, 2, 3])],
            payload: [0x90, 0xE0, 0x92, 0x34, 0x05, 0x60, 0x10, 0x78, 0x00, 0x02, 0x67, 0x42], paddingLength: 3)
        for variation in Self.variations(of: packet) {
            _ = DatagramKind.classify(variation)
            guard let header = try? RTPHeader(parsing: variation) else { continue }
            #expect(header.payloadRange.upperBound + header.paddingLength == variation.count)
            for element in header.extensions { #expect(element.range.upperBound <= variation.count) }
            _ = header.extensionValue(id: 1, in: variation).flatMap(AudioLevel.init(extensionValue:))
            _ = try? VP8PayloadDescriptor(parsing: variation, payload: header.payloadRange)
            _ = try? H264PayloadInfo(parsing: header.payload(in: variation))
            _ = try? H264PayloadInfo(parsing: header.payload(in: variation).dropFirst(7))
            _ = try? RTPRetransmission.unwrap(variation, header: header, originalSSRC: 1, originalPayloadType: 96)
            _ = try? RTPRetransmission.wrap(variation, header: header, rtxSSRC: 1, rtxPayloadType: 97, rtxSequenceNumber: 1)
        }
    }

    @Test func rtcpParserSurvivesCorruptionAndWritesBackWhatItReads() throws {
        let compound = RTCPPacket.serialize([
            .senderReport(RTCPSenderReport(senderSSRC: 1, ntpTimestamp: 2, rtpTimestamp: 3, packetCount: 4, octetCount: 5, reportBlocks: [RTCPReportTests.block])),
            .sourceDescription([RTCPSourceDescriptionChunk(ssrc: 1, items: [.cname("ab")])]),
            .genericNACK(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: [1, 3])),
            .fir(RTCPFullIntraRequest(senderSSRC: 1, entries: [.init(ssrc: 2, commandSequenceNumber: 3)])),
            .remb(RTCPReceiverEstimatedMaxBitrate(senderSSRC: 1, bitrate: 500_000, ssrcs: [2])),
            .goodbye(RTCPGoodbye(ssrcs: [1], reason: "x")),
        ]) + RTCPTransportCCTests.capture
        for variation in Self.variations(of: compound) {
            var rewritten = variation
            _ = try? RTCPPacket.rewriteMediaSSRCs(in: &rewritten) { $0 &+ 1 }
            guard let packets = try? RTCPPacket.parseCompound(variation) else { continue }
            // What parsed must write out to something that parses back the same.
            #expect(try RTCPPacket.parseCompound(RTCPPacket.serialize(packets)) == packets, "\(variation)")
        }
    }
}
