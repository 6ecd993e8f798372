/// What a datagram arriving on the media port carries, told apart by its first bytes (RFC 7983 §7,
/// RFC 5761 §4): ICE, DTLS, SRTP and SRTCP all share one UDP port in WebRTC.
enum DatagramKind: Sendable, Equatable {
    case stun
    case dtls
    case rtp
    case rtcp
    /// ZRTP, TURN channel data, or noise: the media node drops it.
    case unknown

    /// The smallest RTP packet: the fixed 12-byte header.
    static let minimumRTPSize = 12
    /// The smallest useful RTCP packet: the 4-byte common header plus a sender SSRC (an empty RR).
    static let minimumRTCPSize = 8

    /// Classifies a datagram by its first byte (RFC 7983) and, for RTP/RTCP, the second byte: an RTCP
    /// packet type 192...223 would be an RTP marker bit plus payload type 64...95, which RFC 5761 §4
    /// keeps free so the two can share a port. Looks at two bytes at most; never throws.
    static func classify(_ bytes: [UInt8]) -> DatagramKind {
        guard let first = bytes.first else { return .unknown }
        switch first {
        case 0...3:
            return .stun
        case 20...63:
            return .dtls
        case 128...191:
            guard bytes.count >= minimumRTCPSize else { return .unknown }
            if (192...223).contains(bytes[1]) { return .rtcp }
            return bytes.count >= minimumRTPSize ? .rtp : .unknown
        default:
            return .unknown
        }
    }
}
