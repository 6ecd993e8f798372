import NIOCore

/// A publisher's Opus stream: one packet per `interval` from `start` to `deadline`. By default each payload
/// is synthetic, starting with its send time (uptime nanoseconds, big-endian) and its index, so a subscriber
/// in the same process can measure forwarding delay and loss (the SFU does not decode, so the rest is
/// filler). With `payloads` (real Opus frames, for media streams, which decode) they are sent in a loop.
struct LoadSender {
    /// Send time (8 bytes) and index (4 bytes).
    static let probeLength = 12

    let ssrc: UInt32
    let payloadSize: Int
    let interval: TimeAmount
    let start: NIODeadline
    let deadline: NIODeadline
    /// Real Opus payloads to loop through instead of the synthetic ones.
    let payloads: [[UInt8]]?
    private(set) var sent = 0
    private var sequence = UInt16.random(in: 0...UInt16.max)
    private var timestamp = UInt32.random(in: 0...UInt32.max)
    private let timestampStep: UInt32

    init(ssrc: UInt32, payloadSize: Int, interval: TimeAmount, start: NIODeadline, deadline: NIODeadline, payloads: [[UInt8]]? = nil) {
        self.ssrc = ssrc
        self.payloads = payloads.flatMap { $0.isEmpty ? nil : $0 }
        self.payloadSize = max(payloadSize, Self.probeLength)
        self.interval = interval
        self.start = start
        self.deadline = deadline
        // Opus's RTP clock is 48 kHz whatever the sampling rate (RFC 7587 §4.1).
        timestampStep = UInt32(truncatingIfNeeded: 48_000 * interval.nanoseconds / 1_000_000_000)
    }

    /// When the next packet is due, or nil once the run is over.
    var nextSendTime: NIODeadline? {
        let due = start + interval * sent
        return due < deadline ? due : nil
    }

    /// The next packet if it is due at `now`. After a stall the missed packets come back to back, as a
    /// browser's would after a busy main thread.
    mutating func nextPacket(at now: NIODeadline) -> [UInt8]? {
        guard let due = nextSendTime, due <= now else { return nil }
        let payload: [UInt8]
        if let payloads {
            payload = payloads[sent % payloads.count]
        } else {
            var synthetic = [UInt8](repeating: 0xA5, count: payloadSize)
            Self.write(now.uptimeNanoseconds, into: &synthetic, at: 0)
            Self.write(UInt64(sent), into: &synthetic, at: 8, byteCount: 4)
            payload = synthetic
        }
        let packet = RTPHeader.makePacket(
            marker: sent == 0, payloadType: LoadClientSDP.opusPayloadType, sequenceNumber: sequence, timestamp: timestamp,
            ssrc: ssrc, payload: payload)
        sent += 1
        sequence &+= 1
        timestamp &+= timestampStep
        return packet
    }

    private static func write(_ value: UInt64, into bytes: inout [UInt8], at offset: Int, byteCount: Int = 8) {
        for index in 0..<byteCount {
            bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(byteCount - 1 - index)))
        }
    }
}

/// What a subscriber saw of the forwarded streams: packets, forwarding delays (send to receipt, in
/// nanoseconds) and packets that arrived after a later one of the same stream.
struct LoadProbe: Sendable {
    private(set) var received = 0
    private(set) var reordered = 0
    private(set) var delays: [UInt32] = []
    /// The highest index seen per stream (the node's SSRC towards us: one per publisher).
    private var highestIndex: [UInt32: UInt32] = [:]

    mutating func record(_ payload: ArraySlice<UInt8>, ssrc: UInt32, arrivalNanoseconds: UInt64) {
        guard payload.count >= LoadSender.probeLength else { return }
        let start = payload.startIndex
        let sentAt = Self.read(payload, at: start, byteCount: 8)
        let index = UInt32(truncatingIfNeeded: Self.read(payload, at: start + 8, byteCount: 4))
        received += 1
        delays.append(UInt32(clamping: arrivalNanoseconds &- sentAt))
        if let highest = highestIndex[ssrc], index < highest {
            reordered += 1
        } else {
            highestIndex[ssrc] = index
        }
    }

    private static func read(_ bytes: ArraySlice<UInt8>, at offset: Int, byteCount: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in offset..<offset + byteCount { value = value << 8 | UInt64(bytes[index]) }
        return value
    }
}

/// One peer's counters, read at the end of a run.
struct LoadPeerStatistics: Sendable {
    var sent: Int
    var probe: LoadProbe
    var srtpFailures: Int
}
