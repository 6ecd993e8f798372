import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import MediaNodes

struct ClientFrameTests {
    @Test func encodesRFC6455MaskedHelloExample() throws {
        // RFC 6455 §5.7: "A single-frame masked text message" containing "Hello".
        var buffer = ByteBuffer()
        Array("Hello".utf8).withUnsafeBytes {
            ClientFrame.write($0, opcode: .text, maskKey: [0x37, 0xfa, 0x21, 0x3d], into: &buffer)
        }
        #expect(Array(buffer.readableBytesView) == [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58])
        #expect(ClientFrame.encodedCount(payloadCount: 5) == buffer.readableBytes)
    }

    @Test(arguments: [0, 7, 125, 126, 300, 65535, 65536, 70001])
    func nioDecoderReadsBackEveryLengthForm(payloadCount: Int) throws {
        let payload = (0..<payloadCount).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let key: WebSocketMaskingKey = [0x01, 0x80, 0xfe, 0x5a]
        var buffer = ByteBuffer()
        payload.withUnsafeBytes { ClientFrame.write($0, opcode: .binary, maskKey: key, into: &buffer) }
        #expect(buffer.readableBytes == ClientFrame.encodedCount(payloadCount: payloadCount))

        let server = EmbeddedChannel(handler: ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20)))
        try server.writeInbound(buffer)
        let frame = try #require(try server.readInbound(as: WebSocketFrame.self))
        #expect(frame.fin)
        #expect(frame.opcode == .binary)
        #expect(frame.maskKey == key)
        #expect(Array(frame.unmaskedData.readableBytesView) == payload)
        #expect(try server.finish().isClean)
    }

    @Test func maskingKeysKeepChangingAcrossBlocks() {
        var keys = MaskingKeys()
        // 200 keys span several 64-key blocks; 200 draws of 32 random bits do not repeat in practice.
        let drawn = (0..<200).map { _ in Array(keys.nextKey()) }
        #expect(Set(drawn).count == 200)
    }
}
