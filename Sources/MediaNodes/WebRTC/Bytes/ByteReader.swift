/// Reads big-endian fields from a packet, front to back; every read checks the bounds, so a short or
/// lying packet becomes ``MalformedPacket`` instead of a crash. Shared by the media protocol codecs
/// (STUN, RTP, RTCP, DTLS framing); it depends on nothing but the standard library so the fuzzers can
/// compile it alone.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    init(_ bytes: [UInt8], from offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var remaining: Int { max(0, end - offset) }

    mutating func readUInt8() throws(MalformedPacket) -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt16() throws(MalformedPacket) -> UInt16 {
        try need(2)
        defer { offset += 2 }
        return bytes.uint16(at: offset)
    }

    mutating func readUInt24() throws(MalformedPacket) -> UInt32 {
        try need(3)
        defer { offset += 3 }
        return UInt32(bytes[offset]) << 16 | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2])
    }

    mutating func readUInt32() throws(MalformedPacket) -> UInt32 {
        try need(4)
        defer { offset += 4 }
        return bytes.uint32(at: offset)
    }

    mutating func readBytes(_ count: Int) throws(MalformedPacket) -> [UInt8] {
        try need(count)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func skip(_ count: Int) throws(MalformedPacket) {
        try need(count)
        offset += count
    }

    private func need(_ count: Int) throws(MalformedPacket) {
        guard count >= 0, count <= remaining else { throw MalformedPacket("needs \(count) more bytes at offset \(offset), has \(remaining)") }
    }
}

/// A packet that does not parse: what was wrong, for logs and tests.
struct MalformedPacket: Error, Equatable, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension Array where Element == UInt8 {
    /// The big-endian 16-bit value at `offset` (the caller checked the bounds).
    func uint16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    /// The big-endian 32-bit value at `offset` (the caller checked the bounds).
    func uint32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8 | UInt32(self[offset + 3])
    }

    mutating func setUInt16(_ value: UInt16, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value >> 8)
        self[offset + 1] = UInt8(truncatingIfNeeded: value)
    }

    mutating func setUInt32(_ value: UInt32, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value >> 24)
        self[offset + 1] = UInt8(truncatingIfNeeded: value >> 16)
        self[offset + 2] = UInt8(truncatingIfNeeded: value >> 8)
        self[offset + 3] = UInt8(truncatingIfNeeded: value)
    }

    mutating func appendUInt16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendUInt24(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendUInt32(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }
}
