import NIOWebSocket

/// Tells the Twilio Media Streams messages apart from their first bytes, without parsing the JSON: Parley's
/// writer starts every message with `{"event":"<name>"`, and `media` with `{"event":"media","sequenceNumber":"`.
enum LoadStreamMessage: Equatable {
    case connected, start, stop, mark, other
    case media(sequence: Int?)

    /// Bytes looked at: the media prefix (35) and up to 13 digits.
    static let inspectedLength = 48
    private static let eventPrefix = Array(#"{"event":""#.utf8)
    private static let mediaPrefix = Array(#"{"event":"media","sequenceNumber":""#.utf8)

    static func classify(_ frame: WebSocketFrame) -> LoadStreamMessage {
        let data = frame.data
        let mask = frame.maskKey
        return data.withUnsafeReadableBytes { raw in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: inspectedLength) { head in
                let count = min(raw.count, inspectedLength)
                for index in 0..<count {
                    head[index] = raw[index] ^ (mask.map { $0[index & 3] } ?? 0)
                }
                return classify(UnsafeBufferPointer(rebasing: head[0..<count]))
            }
        }
    }

    /// Classifies a message from its first (unmasked) bytes.
    static func classify(_ head: UnsafeBufferPointer<UInt8>) -> LoadStreamMessage {
        let prefix = eventPrefix.count
        guard head.count > prefix + 4, head.starts(with: eventPrefix) else { return .other }
        let name = (head[prefix], head[prefix + 1], head[prefix + 2], head[prefix + 3])
        switch name {
        case (UInt8(ascii: "m"), UInt8(ascii: "e"), UInt8(ascii: "d"), UInt8(ascii: "i")):
            guard head.starts(with: mediaPrefix) else { return .media(sequence: nil) }
            var value = 0
            var digits = 0
            for byte in head[mediaPrefix.count...] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            }
            return .media(sequence: digits > 0 ? value : nil)
        case (UInt8(ascii: "m"), UInt8(ascii: "a"), UInt8(ascii: "r"), UInt8(ascii: "k")): return .mark
        case (UInt8(ascii: "c"), UInt8(ascii: "o"), UInt8(ascii: "n"), UInt8(ascii: "n")): return .connected
        case (UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "r")): return .start
        case (UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "o"), UInt8(ascii: "p")): return .stop
        default: return .other
        }
    }
}
