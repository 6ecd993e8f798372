/// `a=sendrecv` / `a=sendonly` / `a=recvonly` / `a=inactive`, from the writer's point of view.
enum MediaDirection: String, Sendable, Hashable {
    case sendrecv
    case sendonly
    case recvonly
    case inactive

    /// Whether the writer of this direction sends media.
    var sends: Bool { self == .sendrecv || self == .sendonly }

    /// Whether the writer of this direction receives media.
    var receives: Bool { self == .sendrecv || self == .recvonly }
}

/// `a=setup` (RFC 4145, RFC 5763): which side opens the DTLS handshake.
enum DTLSSetup: String, Sendable, Hashable {
    /// Will be the DTLS client.
    case active
    /// Will be the DTLS server.
    case passive
    /// Either; only an offer may say this.
    case actpass
    case holdconn
}

/// `a=fingerprint:sha-256 AB:CD:...`: the hash of the DTLS certificate the peer will present (RFC 8122).
struct SDPFingerprint: Sendable, Hashable {
    /// Lowercased hash name, e.g. `sha-256`.
    var algorithm: String
    /// Uppercase hex bytes separated by colons.
    var value: String

    init(algorithm: String, value: String) {
        self.algorithm = algorithm.lowercased()
        self.value = value.uppercased()
    }

    init?(attributeValue: String) {
        let fields = attributeValue.split(separator: " ")
        guard fields.count == 2, !fields[0].isEmpty else { return nil }
        let bytes = fields[1].split(separator: ":", omittingEmptySubsequences: false)
        guard bytes.allSatisfy({ $0.count == 2 && UInt8($0, radix: 16) != nil }) else { return nil }
        self.init(algorithm: String(fields[0]), value: String(fields[1]))
    }

    /// The hash bytes.
    var bytes: [UInt8] { value.split(separator: ":").compactMap { UInt8($0, radix: 16) } }

    var attribute: SDPAttribute { SDPAttribute("fingerprint", "\(algorithm) \(value)") }
}

/// `a=rtpmap:96 opus/48000/2`: what a dynamic payload type stands for.
struct RTPMap: Sendable, Hashable {
    var payloadType: UInt8
    /// As written (`VP8`, `opus`); compare case-insensitively.
    var encodingName: String
    var clockRate: UInt32
    /// Audio channels; absent means one.
    var channels: Int?

    init(payloadType: UInt8, encodingName: String, clockRate: UInt32, channels: Int? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }

    init?(attributeValue: String) {
        let fields = attributeValue.split(separator: " ")
        guard fields.count == 2, let payloadType = sdpPayloadType(fields[0]) else { return nil }
        let encoding = fields[1].split(separator: "/", omittingEmptySubsequences: false)
        guard (2...3).contains(encoding.count), !encoding[0].isEmpty, let clockRate = UInt32(encoding[1]) else { return nil }
        var channels: Int?
        if encoding.count == 3 {
            guard let count = Int(encoding[2]), count > 0 else { return nil }
            channels = count
        }
        self.init(payloadType: payloadType, encodingName: String(encoding[0]), clockRate: clockRate, channels: channels)
    }

    /// Whether this is the named codec (case-insensitive, as RFC 4855 says).
    func isCodec(_ name: String) -> Bool { encodingName.lowercased() == name.lowercased() }

    var attribute: SDPAttribute {
        let channelSuffix = channels.map { "/\($0)" } ?? ""
        return SDPAttribute("rtpmap", "\(payloadType) \(encodingName)/\(clockRate)\(channelSuffix)")
    }
}

/// `a=fmtp:96 minptime=10;useinbandfec=1`: codec parameters of a payload type.
struct FormatParameters: Sendable, Hashable {
    var payloadType: UInt8
    /// The text after the payload type, exactly as written; answers echo it.
    var parameters: String

    init(payloadType: UInt8, parameters: String) {
        self.payloadType = payloadType
        self.parameters = parameters
    }

    init?(attributeValue: String) {
        guard let space = attributeValue.firstIndex(of: " "), let payloadType = sdpPayloadType(attributeValue[..<space]) else {
            return nil
        }
        self.init(payloadType: payloadType, parameters: String(attributeValue[attributeValue.index(after: space)...]))
    }

    /// The value of `name=value` among the `;`-separated parameters (names compare case-insensitively).
    func value(of name: String) -> String? {
        for parameter in parameters.split(separator: ";") {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            if sdpTrimmed(pair[0]).lowercased() == name.lowercased() { return sdpTrimmed(pair[1]) }
        }
        return nil
    }

    var attribute: SDPAttribute { SDPAttribute("fmtp", "\(payloadType) \(parameters)") }
}

/// `a=rtcp-fb:96 nack pli`: an RTCP feedback message the payload type supports (RFC 4585).
struct RTCPFeedback: Sendable, Hashable {
    /// nil for `*` (every payload type of the section).
    var payloadType: UInt8?
    /// `nack`, `ccm`, `goog-remb`, `transport-cc`...
    var type: String
    /// `pli` for `nack pli`, `fir` for `ccm fir`.
    var parameter: String?

    init(payloadType: UInt8?, type: String, parameter: String? = nil) {
        self.payloadType = payloadType
        self.type = type
        self.parameter = parameter
    }

    init?(attributeValue: String) {
        let fields = attributeValue.split(separator: " ", maxSplits: 2)
        guard fields.count >= 2 else { return nil }
        if fields[0] == "*" {
            payloadType = nil
        } else {
            guard let payloadType = sdpPayloadType(fields[0]) else { return nil }
            self.payloadType = payloadType
        }
        type = String(fields[1])
        parameter = fields.count == 3 ? String(fields[2]) : nil
    }

    /// Whether the feedback applies to a payload type.
    func applies(to payloadType: UInt8) -> Bool { self.payloadType == nil || self.payloadType == payloadType }

    var attribute: SDPAttribute {
        let parameterSuffix = parameter.map { " \($0)" } ?? ""
        return SDPAttribute("rtcp-fb", "\(payloadType.map(String.init) ?? "*") \(type)\(parameterSuffix)")
    }
}

/// `a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid`: the id an RTP header extension travels under (RFC 8285).
struct ExtMap: Sendable, Hashable {
    /// 1-14 for one-byte headers, up to 255 with two-byte headers.
    var id: Int
    var direction: MediaDirection?
    var uri: String
    var extensionAttributes: String?

    init(id: Int, direction: MediaDirection? = nil, uri: String, extensionAttributes: String? = nil) {
        self.id = id
        self.direction = direction
        self.uri = uri
        self.extensionAttributes = extensionAttributes
    }

    init?(attributeValue: String) {
        let fields = attributeValue.split(separator: " ", maxSplits: 2)
        guard fields.count >= 2 else { return nil }
        let idAndDirection = fields[0].split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(idAndDirection.count), let id = Int(idAndDirection[0]), (1...255).contains(id) else { return nil }
        var direction: MediaDirection?
        if idAndDirection.count == 2 {
            guard let parsed = MediaDirection(rawValue: String(idAndDirection[1])) else { return nil }
            direction = parsed
        }
        self.init(id: id, direction: direction, uri: String(fields[1]), extensionAttributes: fields.count == 3 ? String(fields[2]) : nil)
    }

    var attribute: SDPAttribute {
        let directionSuffix = direction.map { "/\($0.rawValue)" } ?? ""
        let attributesSuffix = extensionAttributes.map { " \($0)" } ?? ""
        return SDPAttribute("extmap", "\(id)\(directionSuffix) \(uri)\(attributesSuffix)")
    }
}

/// A payload type field: a number from 0 to 127.
func sdpPayloadType(_ text: Substring) -> UInt8? {
    guard let value = UInt8(text), value <= 127 else { return nil }
    return value
}

/// The text without the spaces around it.
func sdpTrimmed(_ text: Substring) -> String {
    String(text.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
}
