/// A generic NACK (RFC 4585 §6.2.1): the RTP packets of one source a receiver is missing, carried
/// on the wire as PID/BLP pairs (a sequence number and a bitmask of the 16 after it).
struct RTCPGenericNACK: Sendable, Equatable {
    var senderSSRC: UInt32
    var mediaSSRC: UInt32
    /// The missing sequence numbers, in the order the pairs list them.
    var lostSequenceNumbers: [UInt16]

    init(senderSSRC: UInt32, mediaSSRC: UInt32, lostSequenceNumbers: [UInt16]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.lostSequenceNumbers = lostSequenceNumbers
    }

    /// Reads the body of a NACK, expanding each PID/BLP pair.
    init(reading reader: inout ByteReader) throws(MalformedPacket) {
        senderSSRC = try reader.readUInt32()
        mediaSSRC = try reader.readUInt32()
        guard reader.remaining % 4 == 0 else { throw MalformedPacket("NACK entries of \(reader.remaining) bytes") }
        var lost: [UInt16] = []
        while reader.remaining > 0 {
            let packetID = try reader.readUInt16()
            let bitmask = try reader.readUInt16()
            lost.append(packetID)
            for bit in 0..<16 where bitmask & (1 << bit) != 0 {
                lost.append(packetID &+ UInt16(bit + 1))
            }
        }
        lostSequenceNumbers = lost
    }

    /// The fewest PID/BLP pairs covering the lost sequence numbers: sorted in wraparound order and
    /// deduplicated, each pair starting at the oldest number not yet covered.
    var packedPairs: [(packetID: UInt16, bitmask: UInt16)] {
        var unwrapper = RTPSequenceUnwrapper()
        let ordered = Set(lostSequenceNumbers.map { unwrapper.unwrap($0) }).sorted()
        var pairs: [(packetID: UInt16, bitmask: UInt16)] = []
        var pairStart: Int64 = 0
        for sequence in ordered {
            if let last = pairs.last, sequence - pairStart <= 16 {
                pairs[pairs.count - 1].bitmask = last.bitmask | 1 << (sequence - pairStart - 1)
            } else {
                pairs.append((UInt16(truncatingIfNeeded: sequence), 0))
                pairStart = sequence
            }
        }
        return pairs
    }

    /// Appends the NACK with its sequence numbers packed into pairs.
    func write(to bytes: inout [UInt8]) {
        RTCPPacket.appendPacket(to: &bytes, count: RTCPPacket.FeedbackFormat.genericNACK, type: RTCPPacket.PacketType.transportFeedback) { body in
            body.appendUInt32(senderSSRC)
            body.appendUInt32(mediaSSRC)
            for pair in packedPairs {
                body.appendUInt16(pair.packetID)
                body.appendUInt16(pair.bitmask)
            }
        }
    }
}

/// A picture loss indication (RFC 4585 §6.3.1): the receiver lost picture data and asks the sender
/// of `mediaSSRC` for a keyframe.
struct RTCPPictureLossIndication: Sendable, Equatable {
    var senderSSRC: UInt32
    var mediaSSRC: UInt32

    init(senderSSRC: UInt32, mediaSSRC: UInt32) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
    }

    /// Reads the body of a PLI (which has no feedback control information).
    init(reading reader: inout ByteReader) throws(MalformedPacket) {
        senderSSRC = try reader.readUInt32()
        mediaSSRC = try reader.readUInt32()
    }

    /// Appends the PLI.
    func write(to bytes: inout [UInt8]) {
        RTCPPacket.appendPacket(to: &bytes, count: RTCPPacket.FeedbackFormat.pictureLoss, type: RTCPPacket.PacketType.payloadFeedback) { body in
            body.appendUInt32(senderSSRC)
            body.appendUInt32(mediaSSRC)
        }
    }
}

/// A full intra request (RFC 5104 §4.3.1): a demand for a keyframe, one entry per media sender, each
/// with a command sequence number so repeats of one request are recognised.
struct RTCPFullIntraRequest: Sendable, Equatable {
    /// One media sender asked for a keyframe.
    struct Entry: Sendable, Equatable {
        var ssrc: UInt32
        var commandSequenceNumber: UInt8

        init(ssrc: UInt32, commandSequenceNumber: UInt8) {
            self.ssrc = ssrc
            self.commandSequenceNumber = commandSequenceNumber
        }
    }

    var senderSSRC: UInt32
    /// Unused by FIR (RFC 5104 says 0; the entries name the sources) but kept as received.
    var mediaSSRC: UInt32
    var entries: [Entry]

    init(senderSSRC: UInt32, mediaSSRC: UInt32 = 0, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.entries = entries
    }

    /// Reads the body of a FIR: 8-byte entries of SSRC, sequence number and 3 reserved bytes.
    init(reading reader: inout ByteReader) throws(MalformedPacket) {
        senderSSRC = try reader.readUInt32()
        mediaSSRC = try reader.readUInt32()
        guard reader.remaining % 8 == 0 else { throw MalformedPacket("FIR entries of \(reader.remaining) bytes") }
        var entries: [Entry] = []
        while reader.remaining > 0 {
            let ssrc = try reader.readUInt32()
            entries.append(Entry(ssrc: ssrc, commandSequenceNumber: try reader.readUInt8()))
            try reader.skip(3)
        }
        self.entries = entries
    }

    /// Appends the FIR.
    func write(to bytes: inout [UInt8]) {
        RTCPPacket.appendPacket(to: &bytes, count: RTCPPacket.FeedbackFormat.fullIntraRequest, type: RTCPPacket.PacketType.payloadFeedback) { body in
            body.appendUInt32(senderSSRC)
            body.appendUInt32(mediaSSRC)
            for entry in entries {
                body.appendUInt32(entry.ssrc)
                body.append(entry.commandSequenceNumber)
                body.appendUInt24(0)
            }
        }
    }
}

/// A receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb-03): an application-layer PSFB
/// message telling senders the total bitrate the receiver estimates it can take for `ssrcs`.
struct RTCPReceiverEstimatedMaxBitrate: Sendable, Equatable {
    /// "REMB", the unique identifier that tells this application-layer feedback from others.
    static let identifier: UInt32 = 0x5245_4D42
    /// The mantissa's width: the bitrate is sent as mantissa × 2^exponent.
    static let mantissaBits = 18

    var senderSSRC: UInt32
    /// Bits per second. Written with an 18-bit mantissa, so large values lose their low bits.
    var bitrate: UInt64
    var ssrcs: [UInt32]

    init(senderSSRC: UInt32, bitrate: UInt64, ssrcs: [UInt32]) {
        self.senderSSRC = senderSSRC
        self.bitrate = bitrate
        self.ssrcs = ssrcs
    }

    /// Reads the body of an application-layer feedback message: nil when it is not a REMB; throws
    /// when it is one but malformed, or its bitrate overflows 64 bits.
    init?(reading reader: inout ByteReader) throws(MalformedPacket) {
        senderSSRC = try reader.readUInt32()
        _ = try reader.readUInt32()  // media SSRC, always 0
        guard reader.remaining >= 4, try reader.readUInt32() == Self.identifier else { return nil }
        let ssrcCount = try reader.readUInt8()
        let exponentAndMantissa = try reader.readUInt24()
        let exponent = UInt64(exponentAndMantissa >> Self.mantissaBits)
        let mantissa = UInt64(exponentAndMantissa & (1 << Self.mantissaBits - 1))
        guard (mantissa << exponent) >> exponent == mantissa else { throw MalformedPacket("REMB bitrate \(mantissa)×2^\(exponent) overflows") }
        bitrate = mantissa << exponent
        var ssrcs: [UInt32] = []
        for _ in 0..<ssrcCount { ssrcs.append(try reader.readUInt32()) }
        self.ssrcs = ssrcs
    }

    /// Appends the REMB; at most 255 SSRCs fit its count byte, the rest are left out.
    func write(to bytes: inout [UInt8]) {
        var mantissa = bitrate
        var exponent: UInt32 = 0
        while mantissa >= 1 << Self.mantissaBits {
            mantissa >>= 1
            exponent += 1
        }
        let listed = ssrcs.prefix(255)
        RTCPPacket.appendPacket(to: &bytes, count: RTCPPacket.FeedbackFormat.applicationLayer, type: RTCPPacket.PacketType.payloadFeedback) { body in
            body.appendUInt32(senderSSRC)
            body.appendUInt32(0)
            body.appendUInt32(Self.identifier)
            body.append(UInt8(listed.count))
            body.appendUInt24(exponent << UInt32(Self.mantissaBits) | UInt32(mantissa))
            for ssrc in listed { body.appendUInt32(ssrc) }
        }
    }
}
