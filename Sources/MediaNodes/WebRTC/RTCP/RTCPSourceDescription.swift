/// One item of a source description chunk (RFC 3550 §6.5): a type and up to 255 bytes of text.
struct RTCPSourceDescriptionItem: Sendable, Equatable {
    /// CNAME, the canonical endpoint name that ties a participant's streams together.
    static let canonicalName: UInt8 = 1

    var type: UInt8
    var value: [UInt8]

    init(type: UInt8, value: [UInt8]) {
        self.type = type
        self.value = value
    }

    /// A CNAME item.
    static func cname(_ name: String) -> RTCPSourceDescriptionItem {
        RTCPSourceDescriptionItem(type: canonicalName, value: Array(name.utf8))
    }
}

/// One chunk of an SDES packet: a source and its items.
struct RTCPSourceDescriptionChunk: Sendable, Equatable {
    var ssrc: UInt32
    var items: [RTCPSourceDescriptionItem]

    init(ssrc: UInt32, items: [RTCPSourceDescriptionItem]) {
        self.ssrc = ssrc
        self.items = items
    }

    /// The CNAME item's text, if the chunk has one.
    var cname: String? {
        items.first { $0.type == RTCPSourceDescriptionItem.canonicalName }.map { String(decoding: $0.value, as: UTF8.self) }
    }

    /// Reads `count` chunks: each an SSRC, items up to a null octet, then null octets to the next
    /// 32-bit boundary.
    static func readChunks(_ reader: inout ByteReader, count: UInt8) throws(MalformedPacket) -> [RTCPSourceDescriptionChunk] {
        var chunks: [RTCPSourceDescriptionChunk] = []
        for _ in 0..<count {
            let ssrc = try reader.readUInt32()
            var items: [RTCPSourceDescriptionItem] = []
            while true {
                let type = try reader.readUInt8()
                if type == 0 { break }
                let length = try reader.readUInt8()
                items.append(RTCPSourceDescriptionItem(type: type, value: try reader.readBytes(Int(length))))
            }
            // Packets start on word boundaries in the compound, so the absolute offset tells the alignment.
            try reader.skip((4 - reader.offset % 4) % 4)
            chunks.append(RTCPSourceDescriptionChunk(ssrc: ssrc, items: items))
        }
        return chunks
    }

    /// Appends SDES packets for `chunks`, 31 chunks to a packet. Item values past 255 bytes are cut.
    static func write(_ chunks: [RTCPSourceDescriptionChunk], to bytes: inout [UInt8]) {
        var rest = chunks[...]
        repeat {
            let batch = rest.prefix(31)
            rest = rest.dropFirst(31)
            RTCPPacket.appendPacket(to: &bytes, count: UInt8(batch.count), type: RTCPPacket.PacketType.sourceDescription) { body in
                for chunk in batch { chunk.write(to: &body) }
            }
        } while !rest.isEmpty
    }

    /// Appends the chunk, its null terminator and the null octets up to a word boundary.
    private func write(to bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.appendUInt32(ssrc)
        for item in items {
            let value = item.value.prefix(255)
            bytes.append(item.type)
            bytes.append(UInt8(value.count))
            bytes.append(contentsOf: value)
        }
        bytes.append(0)
        bytes.append(contentsOf: repeatElement(0, count: (4 - (bytes.count - start) % 4) % 4))
    }
}

/// A BYE packet (RFC 3550 §6.6): sources leaving the session, with an optional reason.
struct RTCPGoodbye: Sendable, Equatable {
    var ssrcs: [UInt32]
    /// Why they leave; nil when absent (or empty).
    var reason: String?

    init(ssrcs: [UInt32], reason: String? = nil) {
        self.ssrcs = ssrcs
        self.reason = reason
    }

    /// Reads the body of a BYE for `count` sources.
    init(reading reader: inout ByteReader, count: UInt8) throws(MalformedPacket) {
        var ssrcs: [UInt32] = []
        for _ in 0..<count { ssrcs.append(try reader.readUInt32()) }
        self.ssrcs = ssrcs
        reason = nil
        if reader.remaining > 0 {
            let length = Int(try reader.readUInt8())
            if length > 0 { reason = String(decoding: try reader.readBytes(length), as: UTF8.self) }
        }
    }

    /// Appends BYE packets, 31 sources to a packet, the reason (cut to 255 bytes) in the last one.
    func write(to bytes: inout [UInt8]) {
        var rest = ssrcs[...]
        repeat {
            let batch = rest.prefix(31)
            rest = rest.dropFirst(31)
            let reason = rest.isEmpty ? reason.map { Array($0.utf8.prefix(255)) } : nil
            RTCPPacket.appendPacket(to: &bytes, count: UInt8(batch.count), type: RTCPPacket.PacketType.goodbye) { body in
                for ssrc in batch { body.appendUInt32(ssrc) }
                if let reason, !reason.isEmpty {
                    body.append(UInt8(reason.count))
                    body.append(contentsOf: reason)
                }
            }
        } while !rest.isEmpty
    }
}
