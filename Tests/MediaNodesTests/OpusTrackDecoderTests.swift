import Testing

@testable import MediaNodes

@Suite struct OpusTrackDecoderTests {
    /// `count` 20 ms Opus packets of a 440 Hz tone at 16 kHz.
    private func packets(_ count: Int) throws -> [[UInt8]] {
        let encoder = try OpusAudioEncoder(sampleRate: 16000)
        let tone = TestTone.sine(frequency: 440, sampleRate: 16000, count: 320 * count)
        return try (0..<count).map { try encoder.encode(Array(tone[$0 * 320..<($0 + 1) * 320])) }
    }

    @Test func packetsInOrderDecodeToOneFrameEach() throws {
        let decoder = try OpusTrackDecoder(sampleRate: 16000)
        for (index, packet) in try packets(5).enumerated() {
            #expect(decoder.decode(packet[...], sequenceNumber: UInt16(100 + index)).count == 320)
        }
        #expect(decoder.recoveredPackets == 0)
        #expect(decoder.latePackets == 0)
    }

    @Test func aSmallGapIsFilledBeforeTheNextPacket() throws {
        let decoder = try OpusTrackDecoder(sampleRate: 16000)
        let packets = try packets(4)
        #expect(decoder.decode(packets[0][...], sequenceNumber: 10).count == 320)
        #expect(decoder.decode(packets[3][...], sequenceNumber: 13).count == 3 * 320)
        #expect(decoder.recoveredPackets == 2)
    }

    @Test func aLostPacketLeavesTheToneItsLengthAndPitch() throws {
        let decoder = try OpusTrackDecoder(sampleRate: 16000)
        var output: [Int16] = []
        for (index, packet) in try packets(25).enumerated() where index != 12 {
            output += decoder.decode(packet[...], sequenceNumber: UInt16(index))
        }
        #expect(output.count == 25 * 320)
        #expect(TestTone.dominantFrequency(of: output[1600...], among: [220, 440, 880], sampleRate: 16000) == 440)
    }

    @Test func lateAndDuplicatePacketsAreDropped() throws {
        let decoder = try OpusTrackDecoder(sampleRate: 16000)
        let packets = try packets(3)
        _ = decoder.decode(packets[0][...], sequenceNumber: 50)
        _ = decoder.decode(packets[2][...], sequenceNumber: 52)
        #expect(decoder.decode(packets[1][...], sequenceNumber: 51).isEmpty)
        #expect(decoder.decode(packets[2][...], sequenceNumber: 52).isEmpty)
        #expect(decoder.latePackets == 2)
    }

    @Test func sequenceNumbersWrapAround() throws {
        let decoder = try OpusTrackDecoder(sampleRate: 16000)
        let packets = try packets(4)
        _ = decoder.decode(packets[0][...], sequenceNumber: 65534)
        #expect(decoder.decode(packets[1][...], sequenceNumber: 65535).count == 320)
        #expect(decoder.decode(packets[3][...], sequenceNumber: 1).count == 2 * 320)
        #expect(decoder.decode(packets[2][...], sequenceNumber: 65535).isEmpty)
        #expect(decoder.recoveredPackets == 1)
    }

    @Test func aBigJumpOnlyResynchronises() throws {
        let decoder = try OpusTrackDecoder(sampleRate: 16000)
        let packets = try packets(3)
        _ = decoder.decode(packets[0][...], sequenceNumber: 1000)
        #expect(decoder.decode(packets[1][...], sequenceNumber: 1010).count == 320)
        #expect(decoder.decode(packets[2][...], sequenceNumber: 1011).count == 320)
        #expect(decoder.recoveredPackets == 0)
    }

    @Test func aSequenceRestartedFarBehindIsFollowedNotDroppedAsLate() throws {
        let decoder = try OpusTrackDecoder(sampleRate: 16000)
        let packets = try packets(4)
        _ = decoder.decode(packets[0][...], sequenceNumber: 40000)
        #expect(decoder.decode(packets[1][...], sequenceNumber: 39900).isEmpty)
        #expect(decoder.decode(packets[2][...], sequenceNumber: 30000).count == 320)
        #expect(decoder.decode(packets[3][...], sequenceNumber: 30001).count == 320)
        #expect(decoder.latePackets == 1)
        #expect(decoder.recoveredPackets == 0)
    }

    @Test func anUndecodablePacketIsConcealedForThePacketDuration() throws {
        let decoder = try OpusTrackDecoder(sampleRate: 16000)
        let packets = try packets(2)
        _ = decoder.decode(packets[0][...], sequenceNumber: 7)
        #expect(decoder.decode([][...], sequenceNumber: 8).count == 320)
        #expect(decoder.decode(packets[1][...], sequenceNumber: 9).count == 320)
        #expect(decoder.undecodablePackets == 1)
        #expect(decoder.recoveredPackets == 0)
    }
}
