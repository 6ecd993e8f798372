import Testing

@testable import MediaNodes

@Suite struct RTPPayloadTests {
    // MARK: VP8 (RFC 7741)

    /// Parses a VP8 descriptor placed after a 12-byte RTP header, as the SFU sees it.
    static func vp8(_ payload: [UInt8]) throws(MalformedPacket) -> (VP8PayloadDescriptor, [UInt8]) {
        let packet = RTPHeader.makePacket(payloadType: 96, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: payload)
        return (try VP8PayloadDescriptor(parsing: packet, payload: 12..<packet.count), packet)
    }

    @Test func parsesAFullVP8DescriptorOnAKeyframe() throws {
        // X S PID=0 | I L T | M + picture ID 0x1234 | TL0PICIDX 5 | TID 1, Y | VP8 header with P=0
        let (descriptor, _) = try Self.vp8([0x90, 0xE0, 0x92, 0x34, 0x05, 0x60, 0x10, 0x02, 0x00])
        #expect(descriptor.startOfPartition && descriptor.partitionIndex == 0 && !descriptor.nonReference)
        #expect(descriptor.pictureID == 0x1234 && descriptor.hasLongPictureID)
        #expect(descriptor.tl0PictureIndex == 5)
        #expect(descriptor.temporalLayer == 1 && descriptor.layerSync)
        #expect(descriptor.keyIndex == nil)
        #expect(descriptor.size == 6)
        #expect(descriptor.isKeyframeStart)
    }

    @Test func onlyAFirstPartitionStartWithPZeroIsAKeyframe() throws {
        #expect(try Self.vp8([0x10, 0x00]).0.isKeyframeStart)
        #expect(try Self.vp8([0x10, 0x00]).0.size == 1)
        #expect(try !Self.vp8([0x10, 0x01]).0.isKeyframeStart)  // P=1: interframe
        #expect(try !Self.vp8([0x00, 0x00]).0.isKeyframeStart)  // continuation packet
        #expect(try !Self.vp8([0x11, 0x00]).0.isKeyframeStart)  // partition 1
        #expect(try !Self.vp8([0x10]).0.isKeyframeStart)  // no VP8 payload at all
    }

    @Test func parsesShortPictureIDsAndKeyIndexWithoutTemporalLayer() throws {
        let (short, _) = try Self.vp8([0xA0, 0x80, 0x7F, 0x01])
        #expect(short.nonReference && short.pictureID == 0x7F && !short.hasLongPictureID && short.size == 3)
        let (keyOnly, _) = try Self.vp8([0x80, 0x10, 0x25, 0x01])
        #expect(keyOnly.keyIndex == 5 && keyOnly.temporalLayer == nil && !keyOnly.layerSync && keyOnly.pictureID == nil)
    }

    @Test func refusesTruncatedVP8Descriptors() {
        for payload: [UInt8] in [[], [0x80], [0x80, 0x80], [0x80, 0x80, 0x80], [0x80, 0x40], [0x80, 0x20]] {
            #expect(throws: MalformedPacket.self) { try Self.vp8(payload) }
        }
    }

    @Test func rewritesPictureIDAndTL0PictureIndexKeepingTheirWidth() throws {
        var (long, packet) = try Self.vp8([0x90, 0xE0, 0x92, 0x34, 0x05, 0x60, 0x10])
        #expect(long.rewritePictureID(0x8001, in: &packet))  // 15 bits: wraps to 1
        #expect(long.rewriteTL0PictureIndex(200, in: &packet))
        long = try VP8PayloadDescriptor(parsing: packet, payload: 12..<packet.count)
        #expect(long.pictureID == 1 && long.hasLongPictureID && long.tl0PictureIndex == 200 && long.temporalLayer == 1)

        var (short, shortPacket) = try Self.vp8([0x80, 0x80, 0x05, 0x10])
        #expect(short.rewritePictureID(200, in: &shortPacket))  // 7 bits: 200 mod 128
        #expect(!short.rewriteTL0PictureIndex(1, in: &shortPacket))
        short = try VP8PayloadDescriptor(parsing: shortPacket, payload: 12..<shortPacket.count)
        #expect(short.pictureID == 72 && !short.hasLongPictureID)
    }

    // MARK: H.264 (RFC 6184)

    @Test func findsIDRAndParameterSetsInSingleNALUnits() throws {
        #expect(try H264PayloadInfo(parsing: [0x65, 0x88, 0x84]).containsIDR)
        #expect(try H264PayloadInfo(parsing: [0x67, 0x42, 0x00]).containsSPS)
        #expect(try H264PayloadInfo(parsing: [0x68, 0xCE]).containsPPS)
        #expect(try !H264PayloadInfo(parsing: [0x41, 0x9A]).isKeyframe)
        #expect(try !H264PayloadInfo(parsing: []).isKeyframe)
    }

    @Test func looksInsideSTAPAAggregates() throws {
        let stap: [UInt8] = [0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xCE, 0x00, 0x03, 0x65, 0x88, 0x84]
        let info = try H264PayloadInfo(parsing: stap[...])
        #expect(info.containsSPS && info.containsPPS && info.containsIDR && info.isKeyframe)
        let sliceOnly = try H264PayloadInfo(parsing: [0x78, 0x00, 0x02, 0x41, 0x9A])
        #expect(!sliceOnly.isKeyframe)
        // A slice of a bigger buffer keeps its own indices.
        #expect(try H264PayloadInfo(parsing: ([0xFF, 0xFF] + stap)[2...]).containsIDR)
    }

    @Test func countsOnlyTheStartFragmentOfAnFUA() throws {
        #expect(try H264PayloadInfo(parsing: [0x7C, 0x85, 0xB8]).containsIDR)
        #expect(try !H264PayloadInfo(parsing: [0x7C, 0x05, 0xB8]).containsIDR)
        #expect(try !H264PayloadInfo(parsing: [0x7C, 0x45, 0xB8]).containsIDR)
        #expect(try !H264PayloadInfo(parsing: [0x7C, 0x81, 0xB8]).isKeyframe)
    }

    @Test func refusesMalformedAggregatesAndFragments() {
        for payload: [UInt8] in [[0x78, 0x00, 0x05, 0x67], [0x78, 0x00], [0x78, 0x00, 0x00, 0x67], [0x7C]] {
            #expect(throws: MalformedPacket.self) { try H264PayloadInfo(parsing: payload[...]) }
        }
    }

    // MARK: Audio level (RFC 6464)

    @Test func readsAndWritesAudioLevel() throws {
        let packet = RTPHeader.makePacket(
            payloadType: 111, sequenceNumber: 1, timestamp: 1, ssrc: 1, extensions: [RTPHeaderExtensionValue(id: 1, value: [0x9E])], payload: [0])
        let value = try #require(try RTPHeader(parsing: packet).extensionValue(id: 1, in: packet))
        let level = try #require(AudioLevel(extensionValue: value))
        #expect(level == AudioLevel(voiceActivity: true, level: 30))
        #expect(AudioLevel(extensionValue: [0x7F])?.voiceActivity == false)
        #expect(AudioLevel(extensionValue: []) == nil)
        #expect(AudioLevel(voiceActivity: false, level: 200).byte == 0x7F)
        #expect(level.byte == 0x9E)
    }

    // MARK: RTX (RFC 4588)

    @Test func wrapsAndUnwrapsRetransmissions() throws {
        let original = RTPHeader.makePacket(
            marker: true, payloadType: 96, sequenceNumber: 0xABCD, timestamp: 3000, ssrc: 0x1111,
            extensions: [RTPHeaderExtensionValue(id: 3, value: [1, 2])], payload: [0x10, 0x20, 0x30])
        let rtx = try RTPRetransmission.wrap(original, header: try RTPHeader(parsing: original), rtxSSRC: 0x2222, rtxPayloadType: 97, rtxSequenceNumber: 5)
        let rtxHeader = try RTPHeader(parsing: rtx)
        #expect(rtxHeader.ssrc == 0x2222 && rtxHeader.payloadType == 97 && rtxHeader.sequenceNumber == 5 && rtxHeader.timestamp == 3000)
        #expect(rtxHeader.marker)
        #expect(rtxHeader.payload(in: rtx) == [0xAB, 0xCD, 0x10, 0x20, 0x30])
        #expect(rtxHeader.extensionValue(id: 3, in: rtx) == [1, 2])
        let unwrapped = try RTPRetransmission.unwrap(rtx, header: rtxHeader, originalSSRC: 0x1111, originalPayloadType: 96)
        #expect(unwrapped == original)
    }

    @Test func unwrapDropsRTXPaddingAndRefusesPaddingOnlyPackets() throws {
        let rtx = RTPHeader.makePacket(payloadType: 97, sequenceNumber: 9, timestamp: 1, ssrc: 2, payload: [0x00, 0x07, 0xEE], paddingLength: 5)
        let unwrapped = try RTPRetransmission.unwrap(rtx, header: try RTPHeader(parsing: rtx), originalSSRC: 1, originalPayloadType: 96)
        #expect(unwrapped == RTPHeader.makePacket(payloadType: 96, sequenceNumber: 7, timestamp: 1, ssrc: 1, payload: [0xEE]))

        let probe = RTPHeader.makePacket(payloadType: 97, sequenceNumber: 10, timestamp: 1, ssrc: 2, payload: [], paddingLength: 200)
        #expect(throws: MalformedPacket.self) { try RTPRetransmission.unwrap(probe, header: try RTPHeader(parsing: probe), originalSSRC: 1, originalPayloadType: 96) }
    }

    // MARK: Sequence numbers

    @Test func comparesSequenceNumbersAcrossWraparound() {
        #expect(RTPSequence.isNewer(1, than: 65535))
        #expect(!RTPSequence.isNewer(65535, than: 1))
        #expect(RTPSequence.isNewer(100, than: 99))
        #expect(!RTPSequence.isNewer(5, than: 5))
        #expect(RTPSequence.isNewer(0x8000, than: 0) != RTPSequence.isNewer(0, than: 0x8000))
        #expect(!RTPSequence.isNewer(0x8001, than: 0))
    }

    @Test func unwrapsSequenceNumbersIntoAGrowingCount() {
        var unwrapper = RTPSequenceUnwrapper()
        let received: [UInt16] = [65534, 65535, 0, 1, 65535, 2, 30000, 60000, 10]
        let unwrapped = received.map { unwrapper.unwrap($0) }
        let expected: [Int64] = [65534, 65535, 65536, 65537, 65535, 65538, 95536, 125_536, 131_082]
        #expect(unwrapped == expected)
        var early = RTPSequenceUnwrapper()
        #expect(early.unwrap(0) == 0)
        #expect(early.unwrap(65535) == -1)
    }
}
