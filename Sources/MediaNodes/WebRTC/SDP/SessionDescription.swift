/// A parsed SDP session description (RFC 8866) as WebRTC uses it (JSEP, RFC 8829): the session-level lines,
/// then one ``MediaDescription`` per `m=` line, in order. Attributes keep their order and unknown ones survive
/// a parse/serialize round trip. Parse with ``init(parsing:)``, write with ``serialized()``.
struct SessionDescription: Sendable, Hashable, SDPAttributeList {
    var origin: SDPOrigin
    var sessionName: String
    /// Session-level `c=`; WebRTC puts it on each media section instead.
    var connection: SDPConnection?
    /// `b=` lines, kept raw (`AS:512`, `TIAS:64000`).
    var bandwidths: [String]
    var timing: SDPTiming
    var attributes: [SDPAttribute]
    var media: [MediaDescription]

    init(
        origin: SDPOrigin,
        sessionName: String = "-",
        connection: SDPConnection? = nil,
        bandwidths: [String] = [],
        timing: SDPTiming = SDPTiming(start: 0, stop: 0),
        attributes: [SDPAttribute] = [],
        media: [MediaDescription] = []
    ) {
        self.origin = origin
        self.sessionName = sessionName
        self.connection = connection
        self.bandwidths = bandwidths
        self.timing = timing
        self.attributes = attributes
        self.media = media
    }
}

/// One `m=` section: what is sent (media, port, transport protocol, formats) and its attributes in order.
struct MediaDescription: Sendable, Hashable, SDPAttributeList {
    /// The media type as written (`audio`, `video`, `application`...); see ``kind`` for the typed view.
    var media: String
    /// 0 marks a rejected or stopped section.
    var port: Int
    var proto: String
    /// Payload types for RTP, `webrtc-datachannel` for SCTP; kept as text because both exist.
    var formats: [String]
    var connection: SDPConnection?
    var bandwidths: [String]
    var attributes: [SDPAttribute]

    init(
        media: String,
        port: Int,
        proto: String,
        formats: [String],
        connection: SDPConnection? = nil,
        bandwidths: [String] = [],
        attributes: [SDPAttribute] = []
    ) {
        self.media = media
        self.port = port
        self.proto = proto
        self.formats = formats
        self.connection = connection
        self.bandwidths = bandwidths
        self.attributes = attributes
    }

    var kind: MediaKind { MediaKind(media) }

    /// Whether the section is rejected (answer) or stopped (offer).
    var isRejected: Bool { port == 0 }
}

/// The kinds of media section the SFU tells apart.
enum MediaKind: String, Sendable, Hashable {
    case audio
    case video
    /// SCTP data channels (`m=application ... UDP/DTLS/SCTP webrtc-datachannel`).
    case application
    /// Anything else (`text`, `message`...): never negotiated.
    case other

    init(_ media: String) {
        self = MediaKind(rawValue: media) ?? .other
    }
}

/// One `a=` line: a name and, unless it is a flag such as `rtcp-mux`, the text after the first colon.
struct SDPAttribute: Sendable, Hashable {
    var name: String
    var value: String?

    init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }
}

/// The `o=` line: who made the description, and the id/version pair that tells renegotiations apart.
struct SDPOrigin: Sendable, Hashable {
    var username: String
    /// Digits, kept as text because RFC 8866 does not bound its size.
    var sessionID: String
    /// Must grow by one each time the same session is renegotiated with a changed description (JSEP 5.2.2).
    var sessionVersion: UInt64
    var networkType: String
    var addressType: String
    var address: String

    init(
        username: String = "-",
        sessionID: String,
        sessionVersion: UInt64,
        networkType: String = "IN",
        addressType: String = "IP4",
        address: String = "0.0.0.0"
    ) {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }
}

/// A `c=` line (`IN IP4 192.0.2.1`).
struct SDPConnection: Sendable, Hashable {
    var networkType: String
    var addressType: String
    var address: String

    init(networkType: String = "IN", addressType: String = "IP4", address: String) {
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    /// The connection line for an address, IP6 when it contains a colon.
    init(address: String) {
        self.init(addressType: address.contains(":") ? "IP6" : "IP4", address: address)
    }
}

/// The `t=` line; WebRTC always writes `t=0 0` (an unbounded session).
struct SDPTiming: Sendable, Hashable {
    var start: UInt64
    var stop: UInt64
}
