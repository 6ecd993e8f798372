extension SessionDescription {
    /// Parses SDP text, accepting LF or CRLF line endings and ignoring blank lines. Every line must be
    /// `<letter>=<value>` of a type allowed where it stands, and the attributes the node reads (rtpmap, fmtp,
    /// extmap, ssrc, rid, simulcast, fingerprint...) must have valid values, so that the typed accessors can
    /// trust them; other attributes are kept as they are.
    init(parsing text: String) throws(SDPError) {
        var parser = SDPParser()
        for (index, rawLine) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            // Splitting the bytes, not the Characters: Swift sees "\r\n" as one Character.
            var line = String(decoding: rawLine, as: UTF8.self)
            if line.utf8.last == UInt8(ascii: "\r") { line.removeLast() }
            guard !line.isEmpty else { continue }
            do {
                try parser.consume(line)
            } catch {
                throw SDPError.malformedLine(number: index + 1, line: line, reason: error.reason)
            }
        }
        self = try parser.finish()
    }
}

/// Why one line was refused; ``SessionDescription/init(parsing:)`` adds the line number and text.
struct SDPLineError: Error {
    let reason: String
}

/// The line-by-line state of a parse: the session-level fields seen so far, then the media section being filled.
private struct SDPParser {
    private var sawVersion = false
    private var origin: SDPOrigin?
    private var sessionName: String?
    private var timing: SDPTiming?
    private var connection: SDPConnection?
    private var bandwidths: [String] = []
    private var attributes: [SDPAttribute] = []
    private var media: [MediaDescription] = []

    /// Takes one non-empty line (without its line ending): `v=0` first, then session lines until the first
    /// `m=`, then lines of the latest media section.
    mutating func consume(_ line: String) throws(SDPLineError) {
        let bytes = Array(line.utf8)
        guard bytes.count >= 2, bytes[1] == UInt8(ascii: "="), (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[0]) else {
            throw SDPLineError(reason: "expected <type>=<value>")
        }
        guard !bytes.contains(where: { $0 == 0 || $0 == UInt8(ascii: "\r") }) else {
            throw SDPLineError(reason: "control character inside the line")
        }
        let type = Character(Unicode.Scalar(bytes[0]))
        let value = String(line.dropFirst(2))
        guard sawVersion else {
            guard type == "v", value == "0" else { throw SDPLineError(reason: "a description must start with v=0") }
            sawVersion = true
            return
        }
        if type == "m" {
            media.append(try Self.mediaLine(value))
        } else if media.isEmpty {
            try consumeSessionLine(type, value)
        } else {
            try consumeMediaLine(type, value)
        }
    }

    /// The description, once every line is in; refuses one without its mandatory session lines.
    func finish() throws(SDPError) -> SessionDescription {
        guard sawVersion else { throw SDPError.malformedDescription("no v=0 line") }
        guard let origin else { throw SDPError.malformedDescription("no o= line") }
        guard let sessionName else { throw SDPError.malformedDescription("no s= line") }
        guard let timing else { throw SDPError.malformedDescription("no t= line") }
        return SessionDescription(
            origin: origin, sessionName: sessionName, connection: connection, bandwidths: bandwidths, timing: timing,
            attributes: attributes, media: media
        )
    }

    private mutating func consumeSessionLine(_ type: Character, _ value: String) throws(SDPLineError) {
        switch type {
        case "v": throw SDPLineError(reason: "a second v= line")
        case "o":
            guard origin == nil else { throw SDPLineError(reason: "a second o= line") }
            origin = try Self.originLine(value)
        case "s":
            guard sessionName == nil else { throw SDPLineError(reason: "a second s= line") }
            sessionName = value
        case "t":
            // Several t= lines are legal; WebRTC only ever writes one and the first is what counts.
            let fields = value.split(separator: " ")
            guard fields.count == 2, let start = UInt64(fields[0]), let stop = UInt64(fields[1]) else {
                throw SDPLineError(reason: "t= needs a start and a stop time")
            }
            if timing == nil { timing = SDPTiming(start: start, stop: stop) }
        case "c": connection = try Self.connectionLine(value)
        case "b": bandwidths.append(value)
        case "a": attributes.append(try Self.attributeLine(value))
        // Informational lines (i= u= e= p=), repeat times and zones (r= z=) and keys (k=) mean nothing to WebRTC.
        case "i", "u", "e", "p", "r", "z", "k": break
        default: throw SDPLineError(reason: "\(type)= is not a session-level line")
        }
    }

    private mutating func consumeMediaLine(_ type: Character, _ value: String) throws(SDPLineError) {
        let index = media.count - 1
        switch type {
        case "c": media[index].connection = try Self.connectionLine(value)
        case "b": media[index].bandwidths.append(value)
        case "a": media[index].attributes.append(try Self.attributeLine(value))
        case "i", "k": break
        default: throw SDPLineError(reason: "\(type)= is not allowed in a media section")
        }
    }

    /// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>`.
    private static func originLine(_ value: String) throws(SDPLineError) -> SDPOrigin {
        let fields = value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, fields.allSatisfy({ !$0.isEmpty }) else {
            throw SDPLineError(reason: "o= needs six fields")
        }
        guard fields[1].utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw SDPLineError(reason: "the session id is not a number")
        }
        guard let version = UInt64(fields[2]) else { throw SDPLineError(reason: "the session version is not a number") }
        return SDPOrigin(
            username: fields[0], sessionID: fields[1], sessionVersion: version, networkType: fields[3],
            addressType: fields[4], address: fields[5]
        )
    }

    /// `c=<nettype> <addrtype> <address>`.
    private static func connectionLine(_ value: String) throws(SDPLineError) -> SDPConnection {
        let fields = value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 3, fields.allSatisfy({ !$0.isEmpty }) else {
            throw SDPLineError(reason: "c= needs a network type, an address type and an address")
        }
        return SDPConnection(networkType: fields[0], addressType: fields[1], address: fields[2])
    }

    /// `m=<media> <port> <proto> <fmt> ...`; the `<port>/<count>` form is refused (WebRTC never uses it).
    private static func mediaLine(_ value: String) throws(SDPLineError) -> MediaDescription {
        let fields = value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 4, fields.allSatisfy({ !$0.isEmpty }) else {
            throw SDPLineError(reason: "m= needs a media type, a port, a protocol and at least one format")
        }
        guard let port = Int(fields[1]), (0...65535).contains(port) else {
            throw SDPLineError(reason: "the port is not a number from 0 to 65535")
        }
        return MediaDescription(media: fields[0], port: port, proto: fields[2], formats: Array(fields[3...]))
    }

    /// `a=<name>` or `a=<name>:<value>`, with the value checked when the node reads that attribute.
    private static func attributeLine(_ text: String) throws(SDPLineError) -> SDPAttribute {
        let attribute: SDPAttribute
        if let colon = text.firstIndex(of: ":") {
            attribute = SDPAttribute(String(text[..<colon]), String(text[text.index(after: colon)...]))
        } else {
            attribute = SDPAttribute(text)
        }
        guard !attribute.name.isEmpty, !attribute.name.contains(" ") else {
            throw SDPLineError(reason: "an attribute needs a name")
        }
        guard attribute.hasValidValue else { throw SDPLineError(reason: "invalid a=\(attribute.name) value") }
        return attribute
    }
}

extension SDPAttribute {
    /// Whether an attribute the node reads has a value its typed accessor understands; unknown attributes
    /// are always valid.
    var hasValidValue: Bool {
        switch name {
        case "mid", "ice-ufrag", "ice-pwd":
            return value.map { !$0.isEmpty && !$0.contains(" ") } ?? false
        case "candidate":
            return value.map { !$0.isEmpty } ?? false
        case "setup": return value.flatMap(DTLSSetup.init(rawValue:)) != nil
        case "fingerprint": return value.flatMap(SDPFingerprint.init(attributeValue:)) != nil
        case "rtpmap": return value.flatMap(RTPMap.init(attributeValue:)) != nil
        case "fmtp": return value.flatMap(FormatParameters.init(attributeValue:)) != nil
        case "rtcp-fb": return value.flatMap(RTCPFeedback.init(attributeValue:)) != nil
        case "extmap": return value.flatMap(ExtMap.init(attributeValue:)) != nil
        case "ssrc": return value.flatMap(SSRCAttribute.init(attributeValue:)) != nil
        case "ssrc-group": return value.flatMap(SSRCGroup.init(attributeValue:)) != nil
        case "msid": return value.flatMap(MSID.init(attributeValue:)) != nil
        case "rid": return value.flatMap(RIDDescription.init(attributeValue:)) != nil
        case "simulcast": return value.flatMap(SimulcastDescription.init(attributeValue:)) != nil
        case "group": return value.flatMap(SDPGroup.init(attributeValue:)) != nil
        default: return true
        }
    }
}
