import Testing

@testable import MediaNodes

@Suite struct PCM16Tests {
    @Test func oneTrackIsLittleEndianSamples() {
        let bytes: [UInt8] = [0x01, 0x00, 0xFE, 0xFF, 0x34, 0x12, 0x00, 0x80]
        #expect(PCM16.encodeLittleEndian(inbound: [1, -2, 0x1234, .min], outbound: nil) == bytes)
        #expect(PCM16.encodeLittleEndian(inbound: nil, outbound: [1, -2, 0x1234, .min]) == bytes)
    }

    @Test func twoTracksAreInterleavedInboundFirst() {
        #expect(PCM16.encodeLittleEndian(inbound: [1, 2], outbound: [-1, 0x0304]) == [0x01, 0x00, 0xFF, 0xFF, 0x02, 0x00, 0x04, 0x03])
    }

    @Test func aFrameAt16kHzBothTracksIs1280Bytes() {
        let frame = [Int16](repeating: 5, count: 320)
        #expect(PCM16.encodeLittleEndian(inbound: frame, outbound: frame).count == 1280)
        #expect(PCM16.encodeLittleEndian(inbound: nil, outbound: nil).isEmpty)
    }

    @Test func consumerFramesDecodeBack() {
        let samples: [Int16] = [0, 1, -1, .max, .min, 0x1234]
        let bytes = PCM16.encodeLittleEndian(inbound: samples, outbound: nil)
        #expect(bytes.withUnsafeBytes { PCM16.decodeLittleEndian($0) } == samples)
        // Unaligned: the frame starts at an odd address.
        let shifted = [0xAA] + bytes
        #expect(shifted.withUnsafeBytes { PCM16.decodeLittleEndian(UnsafeRawBufferPointer(rebasing: $0[1...])) } == samples)
    }

    @Test func aFrameOfAnOddLengthIsRefused() {
        #expect([UInt8]([1, 2, 3]).withUnsafeBytes { PCM16.decodeLittleEndian($0) } == nil)
        #expect([UInt8]().withUnsafeBytes { PCM16.decodeLittleEndian($0) } == [])
    }
}
