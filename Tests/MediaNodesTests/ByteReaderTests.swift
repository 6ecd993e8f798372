import Testing

@testable import MediaNodes

@Suite struct ByteReaderTests {
    @Test func readsBigEndianFieldsAndRefusesToReadPastTheEnd() throws {
        var reader = ByteReader([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07])
        #expect(try reader.readUInt16() == 0x0102)
        #expect(try reader.readUInt24() == 0x03_0405)
        #expect(reader.remaining == 2)
        #expect(throws: MalformedPacket.self) { try reader.readUInt32() }
        #expect(try reader.readBytes(2) == [0x06, 0x07])
    }

    @Test func writesBigEndianFields() {
        var bytes: [UInt8] = []
        bytes.appendUInt16(0xABCD)
        bytes.appendUInt24(0x01_0203)
        bytes.appendUInt32(0xDEAD_BEEF)
        #expect(bytes == [0xAB, 0xCD, 0x01, 0x02, 0x03, 0xDE, 0xAD, 0xBE, 0xEF])
        bytes.setUInt32(0x0102_0304, at: 1)
        #expect(bytes.uint32(at: 1) == 0x0102_0304)
    }
}
