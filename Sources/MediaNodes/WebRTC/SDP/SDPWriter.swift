extension SessionDescription {
    /// The description as SDP text: the lines in RFC 8866 order, each ending in CRLF.
    func serialized() -> String {
        let originFields = [
            origin.username, origin.sessionID, String(origin.sessionVersion), origin.networkType, origin.addressType, origin.address,
        ]
        var lines = ["v=0", "o=" + originFields.joined(separator: " "), "s=\(sessionName)"]
        if let connection { lines.append(connection.line) }
        lines += bandwidths.map { "b=\($0)" }
        lines.append("t=\(timing.start) \(timing.stop)")
        lines += attributes.map(\.line)
        for section in media {
            lines.append("m=\(section.media) \(section.port) \(section.proto) \(section.formats.joined(separator: " "))")
            if let connection = section.connection { lines.append(connection.line) }
            lines += section.bandwidths.map { "b=\($0)" }
            lines += section.attributes.map(\.line)
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

extension SDPAttribute {
    /// `a=name` or `a=name:value`.
    var line: String { value.map { "a=\(name):\($0)" } ?? "a=\(name)" }
}

extension SDPConnection {
    /// `c=IN IP4 address`.
    var line: String { "c=\(networkType) \(addressType) \(address)" }
}
