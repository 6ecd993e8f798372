/// One ICE candidate as an SDP `a=candidate` attribute value (RFC 8839 §5.1, RFC 6544 §4.5):
/// `candidate:<foundation> <component> <udp|tcp> <priority> <address> <port> typ <type>
/// [raddr <address> rport <port>] [tcptype active|passive|so] [<name> <value>]...`.
///
/// The address is kept as text because browsers hide theirs behind mDNS names ("<uuid>.local");
/// ``transportAddress`` resolves IP literals. Unknown extensions (generation, ufrag, network-id, ...)
/// are kept in order. Standard library only.
struct ICECandidate: Hashable, Sendable, CustomStringConvertible {
    /// The candidate type and its recommended type preference (RFC 8445 §5.1.2.2).
    enum Kind: String, Hashable, Sendable {
        case host
        case srflx
        case prflx
        case relay

        var typePreference: UInt32 {
            switch self {
            case .host: 126
            case .prflx: 110
            case .srflx: 100
            case .relay: 0
            }
        }
    }

    /// How a TCP candidate connects (RFC 6544 §4.5): it connects out, it listens, or simultaneous open.
    enum TCPType: String, Hashable, Sendable {
        case active
        case passive
        case so
    }

    /// An extension attribute this type does not interpret, kept as written.
    struct Extension: Hashable, Sendable {
        var name: String
        var value: String
    }

    var foundation: String
    /// 1 for RTP (the only component with rtcp-mux), 2 for RTCP.
    var component: UInt16
    var transport: TransportAddress.Transport
    var priority: UInt32
    /// An IP literal or an mDNS hostname.
    var address: String
    var port: UInt16
    var kind: Kind
    var relatedAddress: String?
    var relatedPort: UInt16?
    var tcpType: TCPType?
    var extensions: [Extension]

    init(
        foundation: String, component: UInt16 = 1, transport: TransportAddress.Transport, priority: UInt32,
        address: String, port: UInt16, kind: Kind, relatedAddress: String? = nil, relatedPort: UInt16? = nil,
        tcpType: TCPType? = nil, extensions: [Extension] = []
    ) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.kind = kind
        self.relatedAddress = relatedAddress
        self.relatedPort = relatedPort
        self.tcpType = tcpType
        self.extensions = extensions
    }

    /// RFC 8445 §5.1.2.1: 2^24 × type preference + 2^8 × local preference + (256 − component);
    /// `component` is clamped to 1...256 so the fields cannot overlap.
    static func priority(kind: Kind, localPreference: UInt16, component: UInt16 = 1) -> UInt32 {
        kind.typePreference << 24 | UInt32(localPreference) << 8 | (256 - UInt32(min(max(component, 1), 256)))
    }

    /// The address as a ``TransportAddress``; nil when it is a hostname (mDNS) rather than an IP literal.
    var transportAddress: TransportAddress? {
        TransportAddress(transport: transport, host: address, port: port)
    }

    /// The attribute value: "candidate:1 1 udp 2130706431 192.0.2.1 50000 typ host ...".
    var description: String {
        var fields = [
            "candidate:\(foundation)", String(component), transport.rawValue, String(priority), address, String(port),
            "typ", kind.rawValue,
        ]
        if let relatedAddress { fields += ["raddr", relatedAddress] }
        if let relatedPort { fields += ["rport", String(relatedPort)] }
        if let tcpType { fields += ["tcptype", tcpType.rawValue] }
        for field in extensions { fields += [field.name, field.value] }
        return fields.joined(separator: " ")
    }

    /// Parses an attribute value, with or without its "a=" and "candidate:" prefixes; transport and
    /// type names are case-insensitive.
    init(parsing text: String) throws(MalformedPacket) {
        var rest = Substring(text)
        if rest.hasPrefix("a=") { rest = rest.dropFirst(2) }
        if rest.lowercased().hasPrefix("candidate:") { rest = rest.dropFirst("candidate:".count) }
        // Split on scalars, not Characters: a field starting with a combining mark would otherwise fuse with
        // the space before it (RFC 8839's grammar is bytes).
        let fields = rest.unicodeScalars.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
            .map { String(String.UnicodeScalarView($0)) }
        guard fields.count >= 8, fields[6] == "typ" else { throw MalformedPacket("candidate needs 8 fields up to typ: \(text)") }
        guard !fields[0].isEmpty, fields[0].count <= 32, fields[0].allSatisfy(ICECandidate.isICEChar) else {
            throw MalformedPacket("candidate foundation \(fields[0])")
        }
        guard let component = UInt16(fields[1]), (1...256).contains(component) else { throw MalformedPacket("candidate component \(fields[1])") }
        guard let transport = TransportAddress.Transport(rawValue: fields[2].lowercased()) else {
            throw MalformedPacket("candidate transport \(fields[2])")
        }
        guard let priority = UInt32(fields[3]) else { throw MalformedPacket("candidate priority \(fields[3])") }
        guard let port = UInt16(fields[5]) else { throw MalformedPacket("candidate port \(fields[5])") }
        guard let kind = Kind(rawValue: fields[7].lowercased()) else { throw MalformedPacket("candidate type \(fields[7])") }
        self.init(foundation: fields[0], component: component, transport: transport, priority: priority, address: fields[4], port: port, kind: kind)
        try parseExtensions(fields[8...])
    }

    /// The name/value pairs after the type.
    private mutating func parseExtensions(_ pairs: ArraySlice<String>) throws(MalformedPacket) {
        guard pairs.count % 2 == 0 else { throw MalformedPacket("candidate extension \(pairs.last ?? "") has no value") }
        var index = pairs.startIndex
        while index < pairs.endIndex {
            let name = pairs[index]
            let value = pairs[index + 1]
            index += 2
            switch name {
            case "raddr":
                relatedAddress = value
            case "rport":
                guard let port = UInt16(value) else { throw MalformedPacket("candidate rport \(value)") }
                relatedPort = port
            case "tcptype":
                guard let tcpType = TCPType(rawValue: value.lowercased()) else { throw MalformedPacket("candidate tcptype \(value)") }
                self.tcpType = tcpType
            default:
                extensions.append(Extension(name: name, value: value))
            }
        }
    }

    /// ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.1).
    private static func isICEChar(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "+" || character == "/")
    }
}
