/// The VP8 payload descriptor at the start of every VP8 RTP payload (RFC 7741 §4.2), read as offsets
/// into the packet: the SFU needs it to find keyframes when switching simulcast layers and to keep the
/// picture ID and TL0PICIDX continuous for a subscriber across such a switch.
struct VP8PayloadDescriptor: Sendable, Equatable {
    /// N: the frame is not used as a reference, so dropping it harms no other frame.
    let nonReference: Bool
    /// S: the packet starts a VP8 partition.
    let startOfPartition: Bool
    /// PID: the partition the packet's first byte belongs to.
    let partitionIndex: UInt8
    /// The picture ID (7 or 15 bits) when present.
    let pictureID: UInt16?
    /// Whether the picture ID has the 15-bit form (M bit set).
    let hasLongPictureID: Bool
    /// TL0PICIDX: the running index of the base temporal layer's frames, when present.
    let tl0PictureIndex: UInt8?
    /// TID: the temporal layer, when the T bit is set.
    let temporalLayer: UInt8?
    /// Y: the frame depends only on the base temporal layer (meaningful with a temporal layer).
    let layerSync: Bool
    /// KEYIDX: the temporal key frame index, when the K bit is set.
    let keyIndex: UInt8?
    /// The descriptor's size: the VP8 payload starts this many bytes into the RTP payload.
    let size: Int
    /// Whether the packet starts a key frame: S=1, PID=0 and the VP8 payload header's P bit is 0.
    let isKeyframeStart: Bool
    /// Where the picture ID lies in the packet, for rewriting.
    private let pictureIDOffset: Int?
    /// Where TL0PICIDX lies in the packet, for rewriting.
    private let tl0PictureIndexOffset: Int?

    /// Parses the descriptor at the start of `payload`, the RTP payload's indices in `packet`.
    init(parsing packet: [UInt8], payload: Range<Int>) throws(MalformedPacket) {
        guard payload.upperBound <= packet.count else { throw MalformedPacket("VP8 payload range exceeds the packet") }
        var reader = ByteReader(packet, from: payload.lowerBound, end: payload.upperBound)
        let first = try reader.readUInt8()
        nonReference = first & 0x20 != 0
        startOfPartition = first & 0x10 != 0
        partitionIndex = first & 0x07

        var control: UInt8 = 0  // the I, L, T, K bits of the extension byte
        if first & 0x80 != 0 { control = try reader.readUInt8() }

        if control & 0x80 != 0 {
            pictureIDOffset = reader.offset
            let high = try reader.readUInt8()
            hasLongPictureID = high & 0x80 != 0
            pictureID = hasLongPictureID ? UInt16(high & 0x7F) << 8 | UInt16(try reader.readUInt8()) : UInt16(high)
        } else {
            (pictureIDOffset, pictureID, hasLongPictureID) = (nil, nil, false)
        }
        if control & 0x40 != 0 {
            tl0PictureIndexOffset = reader.offset
            tl0PictureIndex = try reader.readUInt8()
        } else {
            (tl0PictureIndexOffset, tl0PictureIndex) = (nil, nil)
        }
        // One byte carries TID, Y and KEYIDX whenever T or K is set; each half counts only with its bit.
        if control & 0x30 != 0 {
            let layers = try reader.readUInt8()
            temporalLayer = control & 0x20 != 0 ? layers >> 6 : nil
            layerSync = control & 0x20 != 0 && layers & 0x20 != 0
            keyIndex = control & 0x10 != 0 ? layers & 0x1F : nil
        } else {
            (temporalLayer, layerSync, keyIndex) = (nil, false, nil)
        }
        size = reader.offset - payload.lowerBound

        // The VP8 payload header's first bit (P, RFC 7741 §4.3) is 0 on key frames.
        if startOfPartition, partitionIndex == 0, reader.remaining > 0 {
            isKeyframeStart = packet[reader.offset] & 0x01 == 0
        } else {
            isKeyframeStart = false
        }
    }

    /// Overwrites the picture ID in `packet` (the one this was parsed from), keeping its width: the
    /// value is truncated to 7 or 15 bits. Returns false when the descriptor carries no picture ID.
    func rewritePictureID(_ newValue: UInt16, in packet: inout [UInt8]) -> Bool {
        guard let offset = pictureIDOffset, offset + (hasLongPictureID ? 2 : 1) <= packet.count else { return false }
        if hasLongPictureID {
            packet.setUInt16(0x8000 | newValue & 0x7FFF, at: offset)
        } else {
            packet[offset] = UInt8(truncatingIfNeeded: newValue) & 0x7F
        }
        return true
    }

    /// Overwrites TL0PICIDX in `packet` (the one this was parsed from). Returns false when absent.
    func rewriteTL0PictureIndex(_ newValue: UInt8, in packet: inout [UInt8]) -> Bool {
        guard let offset = tl0PictureIndexOffset, offset < packet.count else { return false }
        packet[offset] = newValue
        return true
    }
}
