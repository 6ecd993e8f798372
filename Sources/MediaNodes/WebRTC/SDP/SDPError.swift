/// Why the node refused a session description: either the text is not SDP it can read, or it is well-formed
/// SDP that the SFU will not negotiate. Signaling reports ``message`` to the client (error code 53404).
enum SDPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A line that does not parse: its 1-based number in the text, the line itself and what is wrong with it.
    case malformedLine(number: Int, line: String, reason: String)
    /// Lines that each parse but do not form a session description (no `v=` first, no `o=`...).
    case malformedDescription(String)
    /// A well-formed description that breaks the node's policy (no BUNDLE, no rtcp-mux, wrong DTLS role...).
    case unacceptable(String)

    /// A sentence for the client and the logs.
    var message: String {
        switch self {
        case .malformedLine(let number, let line, let reason):
            return "Malformed SDP line \(number) (\(line)): \(reason)"
        case .malformedDescription(let reason):
            return "Malformed SDP: \(reason)"
        case .unacceptable(let reason):
            return reason
        }
    }

    var description: String { message }
}
