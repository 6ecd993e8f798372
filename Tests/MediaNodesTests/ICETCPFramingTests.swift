import Testing

@testable import MediaNodes

/// RFC 4571 framing over arbitrary TCP chunking.
@Suite struct ICETCPFramingTests {
    let payloads: [[UInt8]] = [
        Array(1...20),
        [0xAB],
        Array(repeating: 0x5A, count: 300),
        Array(0...255),
    ]

    @Test func framePrefixesTheBigEndianLength() {
        #expect(RFC4571Framer.frame([1, 2, 3]) == [0, 3, 1, 2, 3])
        #expect(RFC4571Framer.frame(Array(repeating: 7, count: 0x0102)).prefix(2) == [0x01, 0x02])
        #expect(RFC4571Framer.frame([]) == [0, 0])
    }

    @Test func reassemblesFramesSplitAtEveryBytePosition() throws {
        let stream = payloads.flatMap(RFC4571Framer.frame)
        for cut in 0...stream.count {
            var framer = RFC4571Framer()
            var frames = try framer.append(Array(stream[..<cut]))
            frames += try framer.append(Array(stream[cut...]))
            #expect(frames == payloads, "cut at \(cut)")
            #expect(framer.bufferedByteCount == 0)
        }
    }

    @Test func reassemblesByteByByteAndInThreePieces() throws {
        let stream = payloads.flatMap(RFC4571Framer.frame)
        var framer = RFC4571Framer()
        var frames: [[UInt8]] = []
        for byte in stream { frames += try framer.append([byte]) }
        #expect(frames == payloads)

        for first in stride(from: 0, through: stream.count, by: 7) {
            for second in stride(from: first, through: stream.count, by: 13) {
                var framer = RFC4571Framer()
                let collected = try framer.append(Array(stream[..<first])) + framer.append(Array(stream[first..<second])) + framer.append(Array(stream[second...]))
                #expect(collected == payloads)
            }
        }
    }

    @Test func keepsAPartialFrameBuffered() throws {
        var framer = RFC4571Framer()
        #expect(try framer.append([0x00, 0x04, 1, 2]).isEmpty)
        #expect(framer.bufferedByteCount == 4)
        #expect(try framer.append([3, 4, 0x00]) == [[1, 2, 3, 4]])
        #expect(framer.bufferedByteCount == 1)
    }

    @Test func skipsEmptyFrames() throws {
        var framer = RFC4571Framer()
        #expect(try framer.append([0, 0, 0, 1, 9, 0, 0]) == [[9]])
    }

    @Test func refusesOversizedFramesForGood() throws {
        var framer = RFC4571Framer(maximumFrameLength: 1500)
        #expect(try framer.append(RFC4571Framer.frame(Array(repeating: 1, count: 1500))).count == 1)
        #expect(throws: RFC4571Framer.FrameTooLarge(length: 1501, limit: 1500)) {
            try framer.append([0x05, 0xDD])
        }
        #expect(throws: RFC4571Framer.FrameTooLarge.self) { try framer.append(RFC4571Framer.frame([1])) }
        var defaultFramer = RFC4571Framer()
        #expect(throws: RFC4571Framer.FrameTooLarge.self) { try defaultFramer.append([0xFF, 0xFF]) }
    }
}
