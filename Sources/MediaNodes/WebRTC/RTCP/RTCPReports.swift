/// A reception report block (RFC 3550 §6.4.1): what a receiver saw of one source.
struct RTCPReportBlock: Sendable, Equatable {
    var ssrc: UInt32
    /// Packets lost since the previous report, as a fixed-point fraction of 256.
    var fractionLost: UInt8
    /// Packets lost since the start, a 24-bit signed count (duplicates can make it negative).
    var cumulativeLost: Int32
    /// The highest sequence number received, extended with the rollover count in the high 16 bits.
    var extendedHighestSequenceNumber: UInt32
    /// Interarrival jitter, in timestamp units.
    var jitter: UInt32
    /// LSR: the middle 32 bits of the last sender report's NTP timestamp, 0 if none.
    var lastSenderReport: UInt32
    /// DLSR: the delay since that report, in 1/65536 s.
    var delaySinceLastSenderReport: UInt32

    /// Reads one block.
    init(reading reader: inout ByteReader) throws(MalformedPacket) {
        ssrc = try reader.readUInt32()
        fractionLost = try reader.readUInt8()
        let lost = try reader.readUInt24()
        cumulativeLost = Int32(bitPattern: lost & 0x80_0000 != 0 ? lost | 0xFF00_0000 : lost)  // sign-extend 24 bits
        extendedHighestSequenceNumber = try reader.readUInt32()
        jitter = try reader.readUInt32()
        lastSenderReport = try reader.readUInt32()
        delaySinceLastSenderReport = try reader.readUInt32()
    }

    init(
        ssrc: UInt32, fractionLost: UInt8, cumulativeLost: Int32, extendedHighestSequenceNumber: UInt32, jitter: UInt32,
        lastSenderReport: UInt32, delaySinceLastSenderReport: UInt32
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequenceNumber = extendedHighestSequenceNumber
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    /// Appends the block; a cumulative loss beyond 24 bits is clamped to the field's range.
    func write(to bytes: inout [UInt8]) {
        bytes.appendUInt32(ssrc)
        bytes.append(fractionLost)
        let lost = min(max(cumulativeLost, -0x80_0000), 0x7F_FFFF)
        bytes.appendUInt24(UInt32(bitPattern: lost) & 0xFF_FFFF)
        bytes.appendUInt32(extendedHighestSequenceNumber)
        bytes.appendUInt32(jitter)
        bytes.appendUInt32(lastSenderReport)
        bytes.appendUInt32(delaySinceLastSenderReport)
    }

    /// Reads `count` blocks; a profile-specific extension after them is left unread.
    static func readBlocks(_ reader: inout ByteReader, count: UInt8) throws(MalformedPacket) -> [RTCPReportBlock] {
        var blocks: [RTCPReportBlock] = []
        blocks.reserveCapacity(Int(count))
        for _ in 0..<count { blocks.append(try RTCPReportBlock(reading: &reader)) }
        return blocks
    }

    /// The most blocks one packet's 5-bit count can announce; more go into extra receiver reports.
    static let maximumPerPacket = 31

    /// Appends receiver reports from `senderSSRC` for `blocks` beyond the first packet's share.
    static func writeOverflow(_ blocks: ArraySlice<RTCPReportBlock>, senderSSRC: UInt32, to bytes: inout [UInt8]) {
        var rest = blocks
        while !rest.isEmpty {
            let batch = rest.prefix(maximumPerPacket)
            rest = rest.dropFirst(maximumPerPacket)
            RTCPReceiverReport(senderSSRC: senderSSRC, reportBlocks: Array(batch)).write(to: &bytes)
        }
    }
}

/// A sender report (RFC 3550 §6.4.1): what a sender sent, tying its RTP clock to wallclock time,
/// plus reception reports.
struct RTCPSenderReport: Sendable, Equatable {
    var senderSSRC: UInt32
    /// The wallclock time of the report, NTP format (32.32 fixed-point seconds since 1900).
    var ntpTimestamp: UInt64
    /// The same instant on the RTP clock.
    var rtpTimestamp: UInt32
    var packetCount: UInt32
    var octetCount: UInt32
    var reportBlocks: [RTCPReportBlock]

    init(senderSSRC: UInt32, ntpTimestamp: UInt64, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32, reportBlocks: [RTCPReportBlock] = []) {
        self.senderSSRC = senderSSRC
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reportBlocks = reportBlocks
    }

    /// Reads the body of an SR with `blockCount` report blocks.
    init(reading reader: inout ByteReader, blockCount: UInt8) throws(MalformedPacket) {
        senderSSRC = try reader.readUInt32()
        ntpTimestamp = UInt64(try reader.readUInt32()) << 32 | UInt64(try reader.readUInt32())
        rtpTimestamp = try reader.readUInt32()
        packetCount = try reader.readUInt32()
        octetCount = try reader.readUInt32()
        reportBlocks = try RTCPReportBlock.readBlocks(&reader, count: blockCount)
    }

    /// Appends the SR, followed by receiver reports for blocks past the 31st.
    func write(to bytes: inout [UInt8]) {
        let firstBlocks = reportBlocks.prefix(RTCPReportBlock.maximumPerPacket)
        RTCPPacket.appendPacket(to: &bytes, count: UInt8(firstBlocks.count), type: RTCPPacket.PacketType.senderReport) { body in
            body.appendUInt32(senderSSRC)
            body.appendUInt32(UInt32(truncatingIfNeeded: ntpTimestamp >> 32))
            body.appendUInt32(UInt32(truncatingIfNeeded: ntpTimestamp))
            body.appendUInt32(rtpTimestamp)
            body.appendUInt32(packetCount)
            body.appendUInt32(octetCount)
            for block in firstBlocks { block.write(to: &body) }
        }
        RTCPReportBlock.writeOverflow(reportBlocks.dropFirst(RTCPReportBlock.maximumPerPacket), senderSSRC: senderSSRC, to: &bytes)
    }
}

/// A receiver report (RFC 3550 §6.4.2): reception reports from a participant that does not send.
struct RTCPReceiverReport: Sendable, Equatable {
    var senderSSRC: UInt32
    var reportBlocks: [RTCPReportBlock]

    init(senderSSRC: UInt32, reportBlocks: [RTCPReportBlock]) {
        self.senderSSRC = senderSSRC
        self.reportBlocks = reportBlocks
    }

    /// Reads the body of an RR with `blockCount` report blocks.
    init(reading reader: inout ByteReader, blockCount: UInt8) throws(MalformedPacket) {
        senderSSRC = try reader.readUInt32()
        reportBlocks = try RTCPReportBlock.readBlocks(&reader, count: blockCount)
    }

    /// Appends the RR, split into several past 31 blocks.
    func write(to bytes: inout [UInt8]) {
        let firstBlocks = reportBlocks.prefix(RTCPReportBlock.maximumPerPacket)
        RTCPPacket.appendPacket(to: &bytes, count: UInt8(firstBlocks.count), type: RTCPPacket.PacketType.receiverReport) { body in
            body.appendUInt32(senderSSRC)
            for block in firstBlocks { block.write(to: &body) }
        }
        RTCPReportBlock.writeOverflow(reportBlocks.dropFirst(RTCPReportBlock.maximumPerPacket), senderSSRC: senderSSRC, to: &bytes)
    }
}
