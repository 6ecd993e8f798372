/// RFC 4571 framing, as ICE-TCP (RFC 6544) carries STUN, DTLS and SRTP over a TCP connection: each
/// packet is preceded by its 16-bit big-endian length. Sans-IO: fed the byte chunks TCP delivers, cut
/// anywhere, it returns the complete frames and keeps the partial one.
///
/// A length above ``maximumFrameLength`` cannot be a media packet and means the stream is not (or no
/// longer) RFC 4571: ``append(_:)`` throws and keeps throwing, and the connection should be closed.
/// Zero-length frames carry nothing and are skipped.
struct RFC4571Framer: Sendable {
    /// A frame header announced more bytes than the limit.
    struct FrameTooLarge: Error, Hashable, Sendable, CustomStringConvertible {
        let length: Int
        let limit: Int

        var description: String { "RFC 4571 frame of \(length) bytes exceeds the \(limit)-byte limit" }
    }

    /// The largest frame accepted. The default leaves slack above a 1500-byte MTU for the TURN and
    /// DTLS records browsers size by it.
    let maximumFrameLength: Int
    /// Bytes received but not yet returned in a frame: at most one header and a partial frame.
    private var buffered: [UInt8] = []
    /// Set once a frame was refused; the stream cannot be resynchronized.
    private var failure: FrameTooLarge?

    init(maximumFrameLength: Int = 2048) {
        self.maximumFrameLength = maximumFrameLength
    }

    /// How many bytes wait for the rest of their frame.
    var bufferedByteCount: Int { buffered.count }

    /// Adds a chunk and returns the frames it completes, in order.
    mutating func append(_ chunk: [UInt8]) throws(FrameTooLarge) -> [[UInt8]] {
        if let failure { throw failure }
        buffered += chunk
        var frames: [[UInt8]] = []
        var offset = 0
        while buffered.count - offset >= 2 {
            let length = Int(buffered.uint16(at: offset))
            guard length <= maximumFrameLength else {
                let error = FrameTooLarge(length: length, limit: maximumFrameLength)
                failure = error
                buffered = []
                throw error
            }
            guard buffered.count - offset - 2 >= length else { break }
            if length > 0 { frames.append(Array(buffered[offset + 2..<offset + 2 + length])) }
            offset += 2 + length
        }
        buffered.removeFirst(offset)
        return frames
    }

    /// `payload` with its length prefix. Payloads are our own packets, far below 64 KiB; a larger one is
    /// a programming error.
    static func frame(_ payload: [UInt8]) -> [UInt8] {
        precondition(payload.count <= Int(UInt16.max), "RFC 4571 frames carry at most 65535 bytes")
        var framed: [UInt8] = []
        framed.reserveCapacity(payload.count + 2)
        framed.appendUInt16(UInt16(truncatingIfNeeded: payload.count))
        framed += payload
        return framed
    }
}
