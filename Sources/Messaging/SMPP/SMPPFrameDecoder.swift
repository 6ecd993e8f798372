import NIOCore

/// The byte stream cannot be split into PDUs any more: command_length is below the header size or above
/// the limit. Nothing after it can be trusted, so the connection must be dropped.
public struct SMPPFramingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The command_length that was read.
    public var commandLength: UInt32
    /// The largest PDU accepted.
    public var maximumLength: Int

    /// "command_length 8 outside 16...65536".
    public var description: String { "command_length \(commandLength) outside \(SMPPPDU.headerLength)...\(maximumLength)" }
}

/// Splits a TCP byte stream into PDUs: feed bytes as they arrive, in pieces of any size, then pull
/// complete PDUs until ``next()`` returns nil.
///
/// A malformed body yields `.failure(SMPPDecodeError)` and decoding goes on with the next PDU (the length
/// prefix still delimits it); a bad command_length throws ``SMPPFramingError``, and keeps throwing.
public struct SMPPFrameDecoder: Sendable {
    /// The default limit, 64 KiB: far above any PDU a transceiver exchanges (short messages are 254 bytes,
    /// long ones are segmented), low enough that a hostile length cannot make us buffer much.
    public static let defaultMaximumLength = 65_536

    /// The largest command_length accepted.
    public let maximumLength: Int
    private var buffer = ByteBuffer()
    private var failure: SMPPFramingError?

    /// A decoder refusing PDUs larger than `maximumLength` bytes.
    public init(maximumLength: Int = SMPPFrameDecoder.defaultMaximumLength) {
        self.maximumLength = max(maximumLength, SMPPPDU.headerLength)
    }

    /// Bytes received, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        buffer.writeBytes(bytes)
    }

    /// Bytes received, in order.
    public mutating func feed(_ bytes: ByteBuffer) {
        buffer.writeImmutableBuffer(bytes)
    }

    /// How many bytes wait for the rest of their PDU.
    public var bufferedByteCount: Int { buffer.readableBytes }

    /// The next complete PDU, or nil until more bytes arrive.
    public mutating func next() throws(SMPPFramingError) -> Result<SMPPPDU, SMPPDecodeError>? {
        if let failure { throw failure }
        // Checked as soon as the length is in, so a hostile length never makes us buffer its claim.
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
        guard length >= SMPPPDU.headerLength, length <= maximumLength else {
            let error = SMPPFramingError(commandLength: length, maximumLength: maximumLength)
            failure = error
            throw error
        }
        guard let frame = buffer.readSlice(length: Int(length)) else { return nil }
        let result = SMPPPDU.decode(frame: frame)
        // Reclaim consumed bytes: at once when nothing is left, in chunks otherwise.
        if buffer.readableBytes == 0 {
            buffer.clear()
        } else if buffer.readerIndex > 16_384 {
            buffer.discardReadBytes()
        }
        return result
    }
}
