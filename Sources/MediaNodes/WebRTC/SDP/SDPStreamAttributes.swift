/// `a=ssrc:1091145881 cname:EhWXW24VGU+J4o5b`: a property of one synchronization source (RFC 5576).
struct SSRCAttribute: Sendable, Hashable {
    var ssrc: UInt32
    /// `cname`, `msid`...
    var name: String
    var value: String?

    init(ssrc: UInt32, name: String, value: String? = nil) {
        self.ssrc = ssrc
        self.name = name
        self.value = value
    }

    init?(attributeValue: String) {
        let fields = attributeValue.split(separator: " ", maxSplits: 1)
        guard fields.count == 2, let ssrc = UInt32(fields[0]) else { return nil }
        let pair = fields[1].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard !pair[0].isEmpty else { return nil }
        self.init(ssrc: ssrc, name: String(pair[0]), value: pair.count == 2 ? String(pair[1]) : nil)
    }

    var attribute: SDPAttribute {
        SDPAttribute("ssrc", "\(ssrc) \(name)\(value.map { ":\($0)" } ?? "")")
    }
}

/// `a=ssrc-group:FID 1091145881 3595970173`: sources that belong together (RFC 5576), e.g. a stream and its
/// retransmissions (FID) or the layers of a simulcast (SIM).
struct SSRCGroup: Sendable, Hashable {
    /// The semantics the SFU reads.
    static let retransmission = "FID"
    static let simulcast = "SIM"

    var semantics: String
    var ssrcs: [UInt32]

    init(semantics: String, ssrcs: [UInt32]) {
        self.semantics = semantics
        self.ssrcs = ssrcs
    }

    init?(attributeValue: String) {
        let fields = attributeValue.split(separator: " ")
        guard fields.count >= 2 else { return nil }
        var ssrcs: [UInt32] = []
        for field in fields.dropFirst() {
            guard let ssrc = UInt32(field) else { return nil }
            ssrcs.append(ssrc)
        }
        self.init(semantics: String(fields[0]), ssrcs: ssrcs)
    }

    var attribute: SDPAttribute {
        SDPAttribute("ssrc-group", ([semantics] + ssrcs.map(String.init)).joined(separator: " "))
    }
}

/// `a=msid:<stream id> <track id>`: the MediaStream and track a section's media belongs to (RFC 8830).
struct MSID: Sendable, Hashable {
    /// `-` when the track is in no stream.
    var streamID: String
    var trackID: String?

    init(streamID: String, trackID: String?) {
        self.streamID = streamID
        self.trackID = trackID
    }

    init?(attributeValue: String) {
        let fields = attributeValue.split(separator: " ")
        guard (1...2).contains(fields.count) else { return nil }
        self.init(streamID: String(fields[0]), trackID: fields.count == 2 ? String(fields[1]) : nil)
    }

    /// The `<stream> <track>` text, shared by `a=msid` and `a=ssrc:<ssrc> msid:`.
    var attributeValue: String { trackID.map { "\(streamID) \($0)" } ?? streamID }

    var attribute: SDPAttribute { SDPAttribute("msid", attributeValue) }
}

/// `a=rid:h send max-width=640`: a restriction identifier, here naming one simulcast encoding (RFC 8851).
struct RIDDescription: Sendable, Hashable {
    /// Whether the writer sends or receives the encoding.
    enum Direction: String, Sendable, Hashable {
        case send
        case recv
    }

    var id: String
    var direction: Direction
    /// `pt=...;max-width=...`, kept raw: the SFU does not enforce them.
    var restrictions: String?

    init(id: String, direction: Direction, restrictions: String? = nil) {
        self.id = id
        self.direction = direction
        self.restrictions = restrictions
    }

    init?(attributeValue: String) {
        let fields = attributeValue.split(separator: " ", maxSplits: 2)
        guard fields.count >= 2, isRIDToken(fields[0]), let direction = Direction(rawValue: String(fields[1])) else {
            return nil
        }
        self.init(id: String(fields[0]), direction: direction, restrictions: fields.count == 3 ? String(fields[2]) : nil)
    }

    var attribute: SDPAttribute {
        SDPAttribute("rid", "\(id) \(direction.rawValue)\(restrictions.map { " \($0)" } ?? "")")
    }
}

/// `a=simulcast:send q;h;f`: the simulcast streams of a section (RFC 8853). Each stream is a list of
/// alternative rids (`a,b`), and a rid written `~h` starts paused.
struct SimulcastDescription: Sendable, Hashable {
    /// One rid in a simulcast stream list.
    struct Alternative: Sendable, Hashable {
        var rid: String
        var paused: Bool

        init(rid: String, paused: Bool = false) {
            self.rid = rid
            self.paused = paused
        }
    }

    /// Streams the writer sends, each a list of alternatives.
    var send: [[Alternative]]
    /// Streams the writer receives, each a list of alternatives.
    var receive: [[Alternative]]

    init(send: [[Alternative]] = [], receive: [[Alternative]] = []) {
        self.send = send
        self.receive = receive
    }

    init?(attributeValue: String) {
        let fields = attributeValue.split(separator: " ")
        guard fields.count == 2 || fields.count == 4 else { return nil }
        var send: [[Alternative]]?
        var receive: [[Alternative]]?
        for index in stride(from: 0, to: fields.count, by: 2) {
            guard let streams = Self.streams(fields[index + 1]) else { return nil }
            switch fields[index] {
            case "send" where send == nil: send = streams
            case "recv" where receive == nil: receive = streams
            default: return nil
            }
        }
        self.init(send: send ?? [], receive: receive ?? [])
    }

    /// The rids of every stream and alternative, in order.
    static func rids(of streams: [[Alternative]]) -> [String] { streams.flatMap { $0.map(\.rid) } }

    var attribute: SDPAttribute {
        var parts: [String] = []
        if !send.isEmpty { parts.append("send \(Self.text(of: send))") }
        if !receive.isEmpty { parts.append("recv \(Self.text(of: receive))") }
        return SDPAttribute("simulcast", parts.joined(separator: " "))
    }

    private static func streams(_ list: Substring) -> [[Alternative]]? {
        var streams: [[Alternative]] = []
        for stream in list.split(separator: ";", omittingEmptySubsequences: false) {
            var alternatives: [Alternative] = []
            for alternative in stream.split(separator: ",", omittingEmptySubsequences: false) {
                let paused = alternative.hasPrefix("~")
                let rid = paused ? alternative.dropFirst() : alternative
                guard isRIDToken(rid) else { return nil }
                alternatives.append(Alternative(rid: String(rid), paused: paused))
            }
            streams.append(alternatives)
        }
        return streams
    }

    private static func text(of streams: [[Alternative]]) -> String {
        streams.map { stream in stream.map { ($0.paused ? "~" : "") + $0.rid }.joined(separator: ",") }.joined(separator: ";")
    }
}

/// `a=group:BUNDLE 0 1 2`: media sections grouped under a semantics (RFC 5888), BUNDLE for one shared transport.
struct SDPGroup: Sendable, Hashable {
    static let bundle = "BUNDLE"

    var semantics: String
    var mids: [String]

    init(semantics: String, mids: [String]) {
        self.semantics = semantics
        self.mids = mids
    }

    init?(attributeValue: String) {
        let fields = attributeValue.split(separator: " ")
        guard let semantics = fields.first else { return nil }
        self.init(semantics: String(semantics), mids: fields.dropFirst().map(String.init))
    }

    var attribute: SDPAttribute { SDPAttribute("group", ([semantics] + mids).joined(separator: " ")) }
}

/// RFC 8851 rid-syntax: letters, digits, `-` and `_`.
private func isRIDToken(_ text: Substring) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy { byte in
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
