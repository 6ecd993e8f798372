import COpus

/// A libopus failure: its error code and libopus's own text for it.
struct OpusError: Error, CustomStringConvertible, Equatable {
    let code: Int32
    let message: String

    init(code: Int32) {
        self.code = code
        self.message = String(cString: opus_strerror(code))
    }

    var description: String { "opus error \(code): \(message)" }
}

/// Decodes one mono Opus stream (the RTP payloads of one published track, in order) to 16-bit PCM at
/// `sampleRate`. libopus decodes to 8, 16, 24 or 48 kHz directly, so no resampler is needed.
///
/// Not thread-safe: a decoder carries the stream's state from packet to packet.
final class OpusAudioDecoder {
    let sampleRate: Int
    private let decoder: OpaquePointer

    /// - Throws: ``OpusError`` for a rate libopus does not decode to.
    init(sampleRate: Int) throws {
        var status: Int32 = OPUS_OK
        guard let decoder = opus_decoder_create(Int32(sampleRate), 1, &status), status == OPUS_OK else {
            throw OpusError(code: status == OPUS_OK ? OPUS_ALLOC_FAIL : status)
        }
        self.sampleRate = sampleRate
        self.decoder = decoder
    }

    deinit { opus_decoder_destroy(decoder) }

    /// Decodes one packet, appending its samples to `output`; returns how many.
    /// - Throws: ``OpusError`` for an empty, malformed or corrupt packet (`output` is left as it was).
    @discardableResult
    func decode(_ payload: ArraySlice<UInt8>, appendingTo output: inout [Int16]) throws -> Int {
        guard !payload.isEmpty else { throw OpusError(code: OPUS_INVALID_PACKET) }
        return try payload.withUnsafeBufferPointer { packet in
            // The packet says how long it is, so exactly that much room is made.
            let sampleCount = opus_packet_get_nb_samples(packet.baseAddress!, Int32(packet.count), Int32(sampleRate))
            guard sampleCount > 0 else { throw OpusError(code: sampleCount == 0 ? OPUS_INVALID_PACKET : sampleCount) }
            try decode(packet, sampleCount: Int(sampleCount), forwardErrorCorrection: false, appendingTo: &output)
            return Int(sampleCount)
        }
    }

    /// Decodes one packet into a new array.
    func decode(_ payload: ArraySlice<UInt8>) throws -> [Int16] {
        var samples: [Int16] = []
        try decode(payload, appendingTo: &samples)
        return samples
    }

    /// Appends `sampleCount` samples (a multiple of 2.5 ms) of packet loss concealment: libopus's guess at
    /// the lost audio, fading to silence when the loss goes on.
    func concealLoss(sampleCount: Int, appendingTo output: inout [Int16]) throws {
        try decode(UnsafeBufferPointer(start: nil, count: 0), sampleCount: sampleCount, forwardErrorCorrection: false, appendingTo: &output)
    }

    /// `sampleCount` samples of packet loss concealment in a new array.
    func concealLoss(sampleCount: Int) throws -> [Int16] {
        var samples: [Int16] = []
        try concealLoss(sampleCount: sampleCount, appendingTo: &samples)
        return samples
    }

    /// Appends `sampleCount` samples (a multiple of 2.5 ms) standing for the packets lost just before
    /// `nextPayload`: libopus conceals all but the last lost frame and rebuilds that one from the in-band
    /// forward error correction `nextPayload` carries (concealing it too when it carries none). Decode
    /// `nextPayload` itself afterwards.
    func recoverLoss(sampleCount: Int, before nextPayload: ArraySlice<UInt8>, appendingTo output: inout [Int16]) throws {
        try nextPayload.withUnsafeBufferPointer { packet in
            try decode(packet, sampleCount: sampleCount, forwardErrorCorrection: true, appendingTo: &output)
        }
    }

    /// Runs `opus_decode` straight into `sampleCount` new slots at the end of `output`, trimmed to what
    /// libopus wrote (no scratch buffer to keep or copy from).
    private func decode(_ packet: UnsafeBufferPointer<UInt8>, sampleCount: Int, forwardErrorCorrection: Bool, appendingTo output: inout [Int16]) throws {
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: sampleCount))
        let decoded = output.withUnsafeMutableBufferPointer { samples in
            opus_decode(decoder, packet.baseAddress, Int32(packet.count), samples.baseAddress! + start, Int32(sampleCount), forwardErrorCorrection ? 1 : 0)
        }
        guard decoded >= 0 else {
            output.removeLast(sampleCount)
            throw OpusError(code: decoded)
        }
        output.removeLast(sampleCount - Int(decoded))
    }
}

/// Encodes mono 16-bit PCM at `sampleRate` (8, 16, 24 or 48 kHz) into Opus packets of 20 ms, tuned for
/// speech and for cost: VoIP mode, 24 kb/s, complexity 5 of 10.
///
/// Not thread-safe: an encoder carries the stream's state from frame to frame.
final class OpusAudioEncoder {
    static let bitsPerSecond: Int32 = 24_000
    static let complexity: Int32 = 5
    /// Room for any one-frame packet (RFC 6716 caps a frame at 1275 bytes, plus the TOC byte).
    private static let maximumPacketSize = 1276

    let sampleRate: Int
    /// Samples in one 20 ms frame.
    let frameSampleCount: Int
    private let encoder: OpaquePointer
    private var scratch = [UInt8](repeating: 0, count: maximumPacketSize)

    /// - Throws: ``OpusError`` for a rate libopus does not encode from.
    init(sampleRate: Int) throws {
        var status: Int32 = OPUS_OK
        guard let encoder = opus_encoder_create(Int32(sampleRate), 1, OPUS_APPLICATION_VOIP, &status), status == OPUS_OK else {
            throw OpusError(code: status == OPUS_OK ? OPUS_ALLOC_FAIL : status)
        }
        self.sampleRate = sampleRate
        self.frameSampleCount = sampleRate / 50
        self.encoder = encoder
        for result in [
            parley_opus_encoder_set_bitrate(encoder, Self.bitsPerSecond),
            parley_opus_encoder_set_complexity(encoder, Self.complexity),
            parley_opus_encoder_set_voice_signal(encoder),
        ] where result != OPUS_OK {
            opus_encoder_destroy(encoder)
            throw OpusError(code: result)
        }
    }

    deinit { opus_encoder_destroy(encoder) }

    /// Encodes one 20 ms frame (exactly ``frameSampleCount`` samples), appending the packet to `packet`
    /// (so an RTP header can be written first); returns the packet's size.
    /// - Throws: ``OpusError`` (`OPUS_BAD_ARG` for a frame of the wrong length).
    @discardableResult
    func encode(_ frame: [Int16], appendingTo packet: inout [UInt8]) throws -> Int {
        guard frame.count == frameSampleCount else { throw OpusError(code: OPUS_BAD_ARG) }
        // Encoded into a scratch buffer first, so `packet` grows by the packet's size only, not by the
        // worst case (packets are about 60 bytes and may be kept for retransmission).
        let written = frame.withUnsafeBufferPointer { samples in
            scratch.withUnsafeMutableBufferPointer { bytes in
                opus_encode(encoder, samples.baseAddress!, Int32(frameSampleCount), bytes.baseAddress!, Int32(bytes.count))
            }
        }
        guard written >= 0 else { throw OpusError(code: written) }
        packet.append(contentsOf: scratch[..<Int(written)])
        return Int(written)
    }

    /// Encodes one 20 ms frame into a new packet.
    func encode(_ frame: [Int16]) throws -> [UInt8] {
        var packet: [UInt8] = []
        try encode(frame, appendingTo: &packet)
        return packet
    }
}
