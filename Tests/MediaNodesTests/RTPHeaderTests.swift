import Testing

@testable import MediaNodes

@Suite struct RTPHeaderTests {
    /// V=2 X=1 M=1 PT=96, seq 0x1234, ts 0xDEADBEEF, SSRC 0x01020304, a one-byte extension block with
    /// elements 1 (1 byte) and 2 (3 bytes) and two padding bytes, then a 3-byte payload.
    static let oneByteExtensionPacket: [UInt8] = [
        0x90, 0xE0, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04,
        0xBE, 0xDE, 0x00, 0x02,
        0x10, 0xAA, 0x22, 0x01, 0x02, 0x03, 0x00, 0x00,
        0x01, 0x02, 0x03,
    ]

    @Test func parsesTheFixedHeaderAndOneByteExtensions() throws {
        let packet = Self.oneByteExtensionPacket
        let header = try RTPHeader(parsing: packet)
        #expect(header.marker)
        #expect(!header.hasPadding)
        #expect(header.payloadType == 96)
        #expect(header.sequenceNumber == 0x1234)
        #expect(header.timestamp == 0xDEAD_BEEF)
        #expect(header.ssrc == 0x0102_0304)
        #expect(header.csrcs.isEmpty)
        #expect(header.extensionProfile == 0xBEDE)
        #expect(header.extensions == [RTPHeaderExtensionElement(id: 1, range: 17..<18), RTPHeaderExtensionElement(id: 2, range: 19..<22)])
        #expect(header.extensionValue(id: 1, in: packet) == [0xAA])
        #expect(header.extensionValue(id: 2, in: packet) == [0x01, 0x02, 0x03])
        #expect(header.extensionValue(id: 3, in: packet) == nil)
        #expect(header.payloadOffset == 24)
        #expect(header.payloadLength == 3)
        #expect(header.payload(in: packet) == [0x01, 0x02, 0x03])
    }

    @Test func parsesCSRCsTwoByteExtensionsAndPadding() throws {
        let packet: [UInt8] = [
            0xB2, 0x6F, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01, 0xCA, 0xFE, 0xBA, 0xBE,
            0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x0B,  // two CSRCs
            0x10, 0x00, 0x00, 0x02,  // two-byte profile, 2 words
            0x05, 0x02, 0xAB, 0xCD, 0x07, 0x00, 0x00, 0x00,  // element 5 (2 bytes), element 7 (empty), padding
            0x42, 0x43,  // payload
            0x00, 0x00, 0x03,  // 3 bytes of padding
        ]
        let header = try RTPHeader(parsing: packet)
        #expect(!header.marker)
        #expect(header.payloadType == 111)
        #expect(header.csrcs == [0x0A, 0x0B])
        #expect(header.extensionProfile == 0x1000)
        #expect(header.extensionValue(id: 5, in: packet) == [0xAB, 0xCD])
        #expect(header.extensionValue(id: 7, in: packet)?.isEmpty == true)
        #expect(header.hasPadding)
        #expect(header.paddingLength == 3)
        #expect(header.payloadOffset == 32)
        #expect(header.payload(in: packet) == [0x42, 0x43])
    }

    @Test func stopsAtTheReservedOneByteID15() throws {
        let packet: [UInt8] = [0x90, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0x00, 0x01, 0x10, 0x01, 0xF0, 0x77]
        let header = try RTPHeader(parsing: packet)
        #expect(header.extensions.map(\.id) == [1])
        #expect(header.payloadLength == 0)
    }

    @Test func refusesMalformedPackets() {
        let fixed: [UInt8] = [0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]
        var versionOne = fixed
        versionOne[0] = 0x40
        var lyingCSRCCount = fixed
        lyingCSRCCount[0] = 0x81
        let lyingExtensionLength: [UInt8] = [0x90] + fixed.dropFirst() + [0xBE, 0xDE, 0x00, 0x02, 0x10, 0x01, 0x00, 0x00]
        let overrunningElement: [UInt8] = [0x90] + fixed.dropFirst() + [0xBE, 0xDE, 0x00, 0x01, 0x1F, 0x01, 0x02, 0x03]
        let overrunningTwoByteElement: [UInt8] = [0x90] + fixed.dropFirst() + [0x10, 0x00, 0x00, 0x01, 0x01, 0x05, 0x02, 0x03]
        let paddingLongerThanPayload: [UInt8] = [0xA0] + fixed.dropFirst() + [0x01, 0x05]
        let zeroPadding: [UInt8] = [0xA0] + fixed.dropFirst() + [0x01, 0x00]
        let paddingWithoutPayload: [UInt8] = [0xA0] + fixed.dropFirst()
        for packet in [Array(fixed.prefix(11)), versionOne, lyingCSRCCount, lyingExtensionLength, overrunningElement,
                       overrunningTwoByteElement, paddingLongerThanPayload, zeroPadding, paddingWithoutPayload, []] {
            #expect(throws: MalformedPacket.self) { try RTPHeader(parsing: packet) }
        }
        #expect(throws: Never.self) { try RTPHeader(parsing: fixed) }
    }

    @Test func buildsPacketsThatParseBack() throws {
        let packet = RTPHeader.makePacket(
            marker: true, payloadType: 100, sequenceNumber: 65535, timestamp: 90000, ssrc: 0xFEED_BEEF, csrcs: [7],
            extensions: [RTPHeaderExtensionValue(id: 1, value: [0x9E]), RTPHeaderExtensionValue(id: 3, value: [0x00, 0x2A])],
            payload: [1, 2, 3, 4, 5], paddingLength: 4)
        #expect(packet.count == 12 + 4 + 4 + 8 + 5 + 4)  // fixed, CSRC, extension header and elements, payload, padding
        let header = try RTPHeader(parsing: packet)
        #expect(header.marker && header.payloadType == 100 && header.sequenceNumber == 65535)
        #expect(header.timestamp == 90000 && header.ssrc == 0xFEED_BEEF && header.csrcs == [7])
        #expect(header.extensionProfile == RTPHeaderExtensionElement.oneByteProfile)
        #expect(header.extensionValue(id: 1, in: packet) == [0x9E])
        #expect(header.extensionValue(id: 3, in: packet) == [0x00, 0x2A])
        #expect(header.payload(in: packet) == [1, 2, 3, 4, 5])
        #expect(header.paddingLength == 4)
    }

    @Test func buildsTwoByteExtensionsWhenAValueDoesNotFitOneByte() throws {
        let long = [UInt8](repeating: 0x55, count: 17)
        let packet = RTPHeader.makePacket(
            payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3,
            extensions: [RTPHeaderExtensionValue(id: 1, value: [1]), RTPHeaderExtensionValue(id: 20, value: long)], payload: [9])
        let header = try RTPHeader(parsing: packet)
        #expect(header.extensionProfile == RTPHeaderExtensionElement.twoByteProfile)
        #expect(header.extensionValue(id: 1, in: packet) == [1])
        #expect(header.extensionValue(id: 20, in: packet).map(Array.init) == long)
        #expect(header.payload(in: packet) == [9])
    }

    @Test func rewritesFieldsInPlaceKeepingMarkerAndPayload() throws {
        var packet = Self.oneByteExtensionPacket
        try RTPHeader.rewrite(&packet, payloadType: 102, sequenceNumber: 7, timestamp: 0x0102_0304, ssrc: 0xAABB_CCDD)
        let header = try RTPHeader(parsing: packet)
        #expect(header.marker)
        #expect(header.payloadType == 102 && header.sequenceNumber == 7 && header.timestamp == 0x0102_0304 && header.ssrc == 0xAABB_CCDD)
        #expect(Array(packet[12...]) == Array(Self.oneByteExtensionPacket[12...]))
        var short: [UInt8] = [0x80, 0x60]
        #expect(throws: MalformedPacket.self) { try RTPHeader.rewrite(&short, payloadType: 1, sequenceNumber: 1, timestamp: 1, ssrc: 1) }
    }

    @Test func overwritesAnExtensionValueOfTheSameSize() throws {
        var packet = Self.oneByteExtensionPacket
        let header = try RTPHeader(parsing: packet)
        #expect(header.overwriteExtension(id: 2, with: [9, 8, 7], in: &packet))
        #expect(header.extensionValue(id: 2, in: packet) == [9, 8, 7])
        #expect(!header.overwriteExtension(id: 2, with: [1, 2], in: &packet))
        #expect(!header.overwriteExtension(id: 4, with: [1], in: &packet))
        #expect(header.payload(in: packet) == [0x01, 0x02, 0x03])
    }
}
