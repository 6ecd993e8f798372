import Crypto
import NIOCore
import NIOWebSocket

/// Encodes the final, masked frames a WebSocket client sends (RFC 6455 §5.2, §5.3) straight into one
/// buffer: header, masking key and masked payload in a single pass. The 20 ms clock sends every media
/// message this way, so each costs one buffer and one `write`, not a `WebSocketFrame` passed through the
/// pipeline's encoder with its second buffer for the header.
enum ClientFrame {
    /// The bytes a frame with a `payloadCount`-byte payload takes on the wire.
    static func encodedCount(payloadCount: Int) -> Int {
        let lengthBytes = payloadCount < 126 ? 0 : payloadCount <= Int(UInt16.max) ? 2 : 8
        return 2 + lengthBytes + 4 + payloadCount
    }

    /// Appends one final frame of `opcode` carrying `payload`, masked with `maskKey`, to `buffer`.
    static func write(_ payload: UnsafeRawBufferPointer, opcode: WebSocketOpcode, maskKey: WebSocketMaskingKey, into buffer: inout ByteBuffer) {
        buffer.writeInteger(0x80 | UInt8(webSocketOpcode: opcode))
        // The high bit of the second byte says the payload is masked, as every client frame must be.
        switch payload.count {
        case ..<126:
            buffer.writeInteger(0x80 | UInt8(payload.count))
        case ...Int(UInt16.max):
            buffer.writeInteger(UInt8(0x80 | 126))
            buffer.writeInteger(UInt16(payload.count))
        default:
            buffer.writeInteger(UInt8(0x80 | 127))
            buffer.writeInteger(UInt64(payload.count))
        }
        buffer.writeBytes(maskKey)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: payload.count) { output in
            mask(payload, with: maskKey, into: output)
            return payload.count
        }
    }

    /// XORs `payload` with the repeated key into `output`, eight bytes at a time.
    private static func mask(_ payload: UnsafeRawBufferPointer, with key: WebSocketMaskingKey, into output: UnsafeMutableRawBufferPointer) {
        let keyBytes = Array(key)
        // The key repeated in memory order, so one 64-bit XOR masks eight payload bytes at offsets 8n.
        let wideKey = (keyBytes + keyBytes).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        var offset = 0
        while offset + 8 <= payload.count {
            let word = payload.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ wideKey
            output.storeBytes(of: word, toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < payload.count {
            output[offset] = payload[offset] ^ keyBytes[offset % 4]
            offset += 1
        }
    }
}

/// Masking keys from the system's cryptographic random source, drawn a block at a time: one draw serves
/// 64 frames instead of a system call for each. Keys stay unpredictable to the consumer, as §10.3 asks.
struct MaskingKeys {
    private var block: [UInt8] = []
    private var next = 0
    private static let blockSize = 256

    mutating func nextKey() -> WebSocketMaskingKey {
        if next == block.count {
            block = SymmetricKey(size: SymmetricKeySize(bitCount: Self.blockSize * 8)).withUnsafeBytes { Array($0) }
            next = 0
        }
        defer { next += 4 }
        // Four bytes always make a key.
        return WebSocketMaskingKey(block[next..<next + 4])!
    }
}
