/// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
/// §3.1): for a run of transport-wide sequence numbers, which packets arrived and when. Senders feed
/// it to their bandwidth estimator; the SFU both sends it (for publishers) and reads it (from
/// subscribers).
struct TransportCCFeedback: Sendable, Equatable {
    /// What one packet status symbol says (§3.1.1).
    enum Symbol: UInt8 {
        case notReceived = 0
        /// Received, with a one-byte delta of 0...63.75 ms.
        case smallDelta = 1
        /// Received, with a two-byte signed delta.
        case largeOrNegativeDelta = 2

        /// The symbol that fits `delta`.
        init(delta: Int16?) {
            guard let delta else { self = .notReceived; return }
            self = (0...255).contains(delta) ? .smallDelta : .largeOrNegativeDelta
        }
    }

    /// The receive deltas' unit: 250 µs.
    static let deltaMicroseconds = 250
    /// The reference time's unit: 64 ms.
    static let referenceTimeMilliseconds = 64

    var senderSSRC: UInt32
    var mediaSSRC: UInt32
    /// The transport-wide sequence number of the first packet reported.
    var baseSequenceNumber: UInt16
    /// The arrival time base, a 24-bit signed count of 64 ms.
    var referenceTime: Int32
    /// Counts the feedback packets the receiver sent, so the sender notices lost feedback.
    var feedbackPacketCount: UInt8
    /// One entry per sequence number from the base on: the arrival time in 250 µs units after the
    /// previous received packet's (the first one's after the reference time), nil when not received.
    var receiveDeltas: [Int16?]

    init(senderSSRC: UInt32, mediaSSRC: UInt32, baseSequenceNumber: UInt16, referenceTime: Int32, feedbackPacketCount: UInt8, receiveDeltas: [Int16?]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.baseSequenceNumber = baseSequenceNumber
        self.referenceTime = referenceTime
        self.feedbackPacketCount = feedbackPacketCount
        self.receiveDeltas = receiveDeltas
    }

    /// Reads the body of a transport-cc message: the fixed fields, packet chunks until every announced
    /// packet has a status, then a delta per received packet. Trailing filler is ignored.
    init(reading reader: inout ByteReader) throws(MalformedPacket) {
        senderSSRC = try reader.readUInt32()
        mediaSSRC = try reader.readUInt32()
        baseSequenceNumber = try reader.readUInt16()
        let statusCount = Int(try reader.readUInt16())
        let reference = try reader.readUInt24()
        referenceTime = Int32(bitPattern: reference & 0x80_0000 != 0 ? reference | 0xFF00_0000 : reference)  // sign-extend 24 bits
        feedbackPacketCount = try reader.readUInt8()

        var symbols: [Symbol] = []
        symbols.reserveCapacity(statusCount)
        while symbols.count < statusCount {
            try Self.readChunk(try reader.readUInt16(), into: &symbols, upTo: statusCount)
        }
        var deltas: [Int16?] = []
        deltas.reserveCapacity(statusCount)
        for symbol in symbols {
            switch symbol {
            case .notReceived: deltas.append(nil)
            case .smallDelta: deltas.append(Int16(try reader.readUInt8()))
            case .largeOrNegativeDelta: deltas.append(Int16(bitPattern: try reader.readUInt16()))
            }
        }
        receiveDeltas = deltas
    }

    /// Decodes one packet chunk (§3.1.3, §3.1.4), appending its symbols but none past `limit`.
    private static func readChunk(_ chunk: UInt16, into symbols: inout [Symbol], upTo limit: Int) throws(MalformedPacket) {
        if chunk & 0x8000 == 0 {
            // Run length chunk: T=0, a 2-bit symbol, a 13-bit run length.
            let symbol = try symbolValue(UInt8(chunk >> 13 & 0x03))
            symbols.append(contentsOf: repeatElement(symbol, count: min(Int(chunk & 0x1FFF), limit - symbols.count)))
        } else if chunk & 0x4000 == 0 {
            // Status vector chunk of fourteen 1-bit symbols, most significant first.
            for shift in stride(from: 13, through: 0, by: -1) where symbols.count < limit {
                symbols.append(chunk >> shift & 1 == 0 ? .notReceived : .smallDelta)
            }
        } else {
            // Status vector chunk of seven 2-bit symbols.
            for shift in stride(from: 12, through: 0, by: -2) where symbols.count < limit {
                symbols.append(try symbolValue(UInt8(chunk >> shift & 0x03)))
            }
        }
    }

    /// The symbol for a 2-bit value; 3 is reserved.
    private static func symbolValue(_ value: UInt8) throws(MalformedPacket) -> Symbol {
        guard let symbol = Symbol(rawValue: value) else { throw MalformedPacket("transport-cc uses the reserved packet status symbol 3") }
        return symbol
    }

    /// Appends the message: chunks chosen by `packetChunks`, the deltas, then RTCP padding to a word
    /// boundary as libwebrtc writes it. At most 65535 statuses fit the count; the rest are left out.
    func write(to bytes: inout [UInt8]) {
        let reported = receiveDeltas.prefix(Int(UInt16.max))
        RTCPPacket.appendPacket(
            to: &bytes, count: RTCPPacket.FeedbackFormat.transportCC, type: RTCPPacket.PacketType.transportFeedback, paddingBit: true
        ) { body in
            body.appendUInt32(senderSSRC)
            body.appendUInt32(mediaSSRC)
            body.appendUInt16(baseSequenceNumber)
            body.appendUInt16(UInt16(reported.count))
            body.appendUInt24(UInt32(bitPattern: referenceTime) & 0xFF_FFFF)
            body.append(feedbackPacketCount)
            for chunk in Self.packetChunks(reported.map(Symbol.init(delta:))) { body.appendUInt16(chunk) }
            for delta in reported {
                guard let delta else { continue }
                if Symbol(delta: delta) == .smallDelta {
                    body.append(UInt8(delta))
                } else {
                    body.appendUInt16(UInt16(bitPattern: delta))
                }
            }
        }
    }
}
