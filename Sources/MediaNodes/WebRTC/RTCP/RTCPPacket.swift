/// One packet of an RTCP compound packet (RFC 3550 §6) with the feedback messages WebRTC uses
/// (RFC 4585, RFC 5104, REMB, transport-wide congestion control). Anything else stays `unknown`
/// with its bytes, so it can be passed on untouched.
enum RTCPPacket: Sendable, Equatable {
    case senderReport(RTCPSenderReport)
    case receiverReport(RTCPReceiverReport)
    case sourceDescription([RTCPSourceDescriptionChunk])
    case goodbye(RTCPGoodbye)
    case genericNACK(RTCPGenericNACK)
    case pli(RTCPPictureLossIndication)
    case fir(RTCPFullIntraRequest)
    case remb(RTCPReceiverEstimatedMaxBitrate)
    case transportCC(TransportCCFeedback)
    /// A packet of another type (or feedback format), header and padding included.
    case unknown(type: UInt8, bytes: [UInt8])

    /// The RTCP packet types (the second header byte).
    enum PacketType {
        static let senderReport: UInt8 = 200
        static let receiverReport: UInt8 = 201
        static let sourceDescription: UInt8 = 202
        static let goodbye: UInt8 = 203
        /// RTPFB, transport-layer feedback (RFC 4585 §6.2): NACK, transport-cc.
        static let transportFeedback: UInt8 = 205
        /// PSFB, payload-specific feedback (RFC 4585 §6.3): PLI, FIR, REMB.
        static let payloadFeedback: UInt8 = 206
    }

    /// The feedback message types (FMT, in the count field) of RTPFB and PSFB packets.
    enum FeedbackFormat {
        static let genericNACK: UInt8 = 1
        static let transportCC: UInt8 = 15
        static let pictureLoss: UInt8 = 1
        static let fullIntraRequest: UInt8 = 4
        static let applicationLayer: UInt8 = 15
    }

    /// Parses every packet of a compound packet, checking each one's version, length and padding.
    /// A malformed packet anywhere makes the whole compound throw, as it does for SRTCP's integrity.
    static func parseCompound(_ bytes: [UInt8]) throws(MalformedPacket) -> [RTCPPacket] {
        guard !bytes.isEmpty else { throw MalformedPacket("empty RTCP packet") }
        var packets: [RTCPPacket] = []
        var offset = 0
        while offset < bytes.count {
            let header = try RTCPCommonHeader(parsing: bytes, at: offset)
            packets.append(try parse(bytes, header: header))
            offset = header.range.upperBound
        }
        return packets
    }

    /// Writes `packets` as one compound packet.
    static func serialize(_ packets: [RTCPPacket]) -> [UInt8] {
        var bytes: [UInt8] = []
        for packet in packets { packet.write(to: &bytes) }
        return bytes
    }

    /// Parses the one packet `header` describes.
    private static func parse(_ bytes: [UInt8], header: RTCPCommonHeader) throws(MalformedPacket) -> RTCPPacket {
        var reader = ByteReader(bytes, from: header.body.lowerBound, end: header.body.upperBound)
        switch (header.packetType, header.count) {
        case (PacketType.senderReport, let count):
            return .senderReport(try RTCPSenderReport(reading: &reader, blockCount: count))
        case (PacketType.receiverReport, let count):
            return .receiverReport(try RTCPReceiverReport(reading: &reader, blockCount: count))
        case (PacketType.sourceDescription, let count):
            return .sourceDescription(try RTCPSourceDescriptionChunk.readChunks(&reader, count: count))
        case (PacketType.goodbye, let count):
            return .goodbye(try RTCPGoodbye(reading: &reader, count: count))
        case (PacketType.transportFeedback, FeedbackFormat.genericNACK):
            return .genericNACK(try RTCPGenericNACK(reading: &reader))
        case (PacketType.transportFeedback, FeedbackFormat.transportCC):
            return .transportCC(try TransportCCFeedback(reading: &reader))
        case (PacketType.payloadFeedback, FeedbackFormat.pictureLoss):
            return .pli(try RTCPPictureLossIndication(reading: &reader))
        case (PacketType.payloadFeedback, FeedbackFormat.fullIntraRequest):
            return .fir(try RTCPFullIntraRequest(reading: &reader))
        case (PacketType.payloadFeedback, FeedbackFormat.applicationLayer):
            if let remb = try RTCPReceiverEstimatedMaxBitrate(reading: &reader) { return .remb(remb) }
        default:
            break
        }
        return .unknown(type: header.packetType, bytes: Array(bytes[header.range]))
    }

    /// Appends this packet (or, past 31 report blocks, chunks or SSRCs, several packets) to `bytes`.
    func write(to bytes: inout [UInt8]) {
        switch self {
        case .senderReport(let report): report.write(to: &bytes)
        case .receiverReport(let report): report.write(to: &bytes)
        case .sourceDescription(let chunks): RTCPSourceDescriptionChunk.write(chunks, to: &bytes)
        case .goodbye(let goodbye): goodbye.write(to: &bytes)
        case .genericNACK(let nack): nack.write(to: &bytes)
        case .pli(let pli): pli.write(to: &bytes)
        case .fir(let fir): fir.write(to: &bytes)
        case .remb(let remb): remb.write(to: &bytes)
        case .transportCC(let feedback): feedback.write(to: &bytes)
        case .unknown(_, let packet): bytes.append(contentsOf: packet)
        }
    }

    /// Appends one packet: the common header, the body `writeBody` appends, zero bytes up to a word
    /// boundary, then the length. With `paddingBit` the filler is RTCP padding (P set, the last byte
    /// its count), as transport-cc uses; otherwise bodies that need it end in null octets of their own.
    static func appendPacket(to bytes: inout [UInt8], count: UInt8, type: UInt8, paddingBit: Bool = false, writeBody: (inout [UInt8]) -> Void) {
        let start = bytes.count
        bytes.append(0)
        bytes.append(type)
        bytes.appendUInt16(0)
        writeBody(&bytes)
        let paddingLength = (4 - (bytes.count - start) % 4) % 4
        bytes.append(contentsOf: repeatElement(0, count: paddingLength))
        let padded = paddingBit && paddingLength > 0
        if padded { bytes[bytes.count - 1] = UInt8(paddingLength) }
        bytes[start] = RTCPCommonHeader.version << 6 | (padded ? 0x20 : 0) | count & 0x1F
        bytes.setUInt16(UInt16(truncatingIfNeeded: (bytes.count - start) / 4 - 1), at: start + 2)
    }
}

/// The 4-byte header every RTCP packet starts with, and where the packet lies in its compound.
struct RTCPCommonHeader: Sendable, Equatable {
    static let version: UInt8 = 2
    static let size = 4

    /// The 5-bit count field: report count, source count, or feedback message type.
    let count: UInt8
    let packetType: UInt8
    /// The whole packet, header and padding included.
    let range: Range<Int>
    /// The packet after its header, without the padding.
    let body: Range<Int>

    /// Reads the header at `offset` of a compound packet, checking the version, that the stated
    /// length fits, and that the padding fits the body.
    init(parsing bytes: [UInt8], at offset: Int) throws(MalformedPacket) {
        guard offset >= 0, bytes.count - offset >= Self.size else { throw MalformedPacket("RTCP header truncated at offset \(offset)") }
        let first = bytes[offset]
        guard first >> 6 == Self.version else { throw MalformedPacket("RTCP version \(first >> 6), expected 2") }
        count = first & 0x1F
        packetType = bytes[offset + 1]
        let size = (Int(bytes.uint16(at: offset + 2)) + 1) * 4
        guard size <= bytes.count - offset else { throw MalformedPacket("RTCP packet claims \(size) bytes, \(bytes.count - offset) left") }
        range = offset..<offset + size
        var bodyEnd = range.upperBound
        if first & 0x20 != 0 {
            let paddingLength = Int(bytes[bodyEnd - 1])
            guard paddingLength >= 1, paddingLength <= size - Self.size else {
                throw MalformedPacket("RTCP padding of \(paddingLength) bytes in a packet of \(size)")
            }
            bodyEnd -= paddingLength
        }
        body = offset + Self.size..<bodyEnd
    }
}
