/// One optional parameter (§5.3): a 2-byte tag, a 2-byte length and that many value bytes.
///
/// Every TLV is kept as it came, in order, so unknown ones round-trip; typed accessors on `[SMPPTLV]`
/// read the few this ESME uses.
public struct SMPPTLV: Hashable, Sendable {
    /// The parameter tag.
    public var tag: Tag
    /// The raw value; at most 65,535 bytes on the wire.
    public var value: [UInt8]

    /// A parameter with its raw value.
    public init(tag: Tag, value: [UInt8]) {
        self.tag = tag
        self.value = value
    }

    /// A TLV tag (§5.3.2). Open, like command ids: any 16-bit tag round-trips.
    public struct Tag: RawRepresentable, Hashable, Sendable {
        /// The value on the wire.
        public var rawValue: UInt16

        /// Wraps a wire value.
        public init(rawValue: UInt16) {
            self.rawValue = rawValue
        }

        /// The SMSC's message id of the message a delivery receipt reports on (C-Octet String).
        public static let receiptedMessageID = Tag(rawValue: 0x001E)
        /// The SMPP version the SMSC supports (in bind responses).
        public static let scInterfaceVersion = Tag(rawValue: 0x0210)
        /// The reference shared by every segment of a concatenated message.
        public static let sarMessageReference = Tag(rawValue: 0x020C)
        /// How many segments the concatenated message has.
        public static let sarTotalSegments = Tag(rawValue: 0x020E)
        /// This segment's 1-based position.
        public static let sarSegmentSequence = Tag(rawValue: 0x020F)
        /// The network's error for a failed delivery: network type (1 byte) and error code (2 bytes).
        public static let networkErrorCode = Tag(rawValue: 0x0423)
        /// The message text when it does not fit short_message (up to 64 KiB).
        public static let messagePayload = Tag(rawValue: 0x0424)
        /// The message's state in a delivery receipt.
        public static let messageState = Tag(rawValue: 0x0427)
    }

    /// message_payload: the text in place of short_message (which must then be empty).
    public static func messagePayload(_ bytes: [UInt8]) -> SMPPTLV {
        SMPPTLV(tag: .messagePayload, value: bytes)
    }

    /// The three SAR parameters marking one segment of a concatenated message.
    public static func segmentation(reference: UInt16, total: UInt8, sequence: UInt8) -> [SMPPTLV] {
        [
            SMPPTLV(tag: .sarMessageReference, value: [UInt8(reference >> 8), UInt8(reference & 0xFF)]),
            SMPPTLV(tag: .sarTotalSegments, value: [total]),
            SMPPTLV(tag: .sarSegmentSequence, value: [sequence]),
        ]
    }
}

/// A message's state as a delivery receipt reports it (message_state TLV values, §5.2.28, and the stat
/// field of the receipt text, Appendix B).
public enum SMPPMessageState: UInt8, Hashable, Sendable {
    /// In transit.
    case enroute = 1
    /// Delivered to the handset.
    case delivered = 2
    /// Its validity period expired.
    case expired = 3
    /// Deleted.
    case deleted = 4
    /// Could not be delivered.
    case undeliverable = 5
    /// Accepted on behalf of the subscriber (e.g. by customer care); not yet a final outcome.
    case accepted = 6
    /// Invalid or unknown state.
    case unknown = 7
    /// Rejected by the SMSC or the network.
    case rejected = 8

    /// The 7-letter stat code of the receipt text ("DELIVRD").
    public var statText: String {
        switch self {
        case .enroute: "ENROUTE"
        case .delivered: "DELIVRD"
        case .expired: "EXPIRED"
        case .deleted: "DELETED"
        case .undeliverable: "UNDELIV"
        case .accepted: "ACCEPTD"
        case .unknown: "UNKNOWN"
        case .rejected: "REJECTD"
        }
    }

    /// Reads a stat code, case-insensitively, accepting the spelled-out forms some SMSCs write
    /// ("DELIVERED", "UNDELIVERABLE"); nil for anything else.
    public init?(statText: some StringProtocol) {
        switch statText.uppercased() {
        case "ENROUTE": self = .enroute
        case "DELIVRD", "DELIVERED": self = .delivered
        case "EXPIRED": self = .expired
        case "DELETED": self = .deleted
        case "UNDELIV", "UNDELIVERABLE", "UNDELIVERED": self = .undeliverable
        case "ACCEPTD", "ACCEPTED": self = .accepted
        case "UNKNOWN": self = .unknown
        case "REJECTD", "REJECTED": self = .rejected
        default: return nil
        }
    }
}

/// The network_error_code TLV (§5.3.2.31): which kind of network failed the delivery, and its code.
public struct SMPPNetworkErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// 1 ANSI-136, 2 IS-95, 3 GSM, 4 ANSI-41 (others are reserved).
    public var networkType: UInt8
    /// The network's own error code.
    public var errorCode: UInt16

    /// A network error.
    public init(networkType: UInt8, errorCode: UInt16) {
        self.networkType = networkType
        self.errorCode = errorCode
    }

    /// "GSM 0x0001" style text for logs and error messages.
    public var description: String {
        let name = switch networkType {
        case 1: "ANSI-136"
        case 2: "IS-95"
        case 3: "GSM"
        case 4: "ANSI-41"
        default: "network \(networkType)"
        }
        let digits = String(errorCode, radix: 16, uppercase: true)
        return "\(name) 0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

extension Array where Element == SMPPTLV {
    /// The value of the first parameter with this tag.
    public func value(for tag: SMPPTLV.Tag) -> [UInt8]? {
        first(where: { $0.tag == tag })?.value
    }

    /// message_payload's bytes.
    public var messagePayload: [UInt8]? { value(for: .messagePayload) }

    /// receipted_message_id, without its terminating NUL; nil when absent or empty.
    public var receiptedMessageID: String? {
        guard let bytes = value(for: .receiptedMessageID) else { return nil }
        let text = String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        return text.isEmpty ? nil : text
    }

    /// message_state; nil when absent, of the wrong length, or a value SMPP 3.4 does not define.
    public var messageState: SMPPMessageState? {
        guard let bytes = value(for: .messageState), bytes.count == 1 else { return nil }
        return SMPPMessageState(rawValue: bytes[0])
    }

    /// network_error_code; nil when absent or not 3 bytes long.
    public var networkErrorCode: SMPPNetworkErrorCode? {
        guard let bytes = value(for: .networkErrorCode), bytes.count == 3 else { return nil }
        return SMPPNetworkErrorCode(networkType: bytes[0], errorCode: UInt16(bytes[1]) << 8 | UInt16(bytes[2]))
    }

    /// sar_msg_ref_num; nil when absent or not 2 bytes long.
    public var sarMessageReference: UInt16? {
        guard let bytes = value(for: .sarMessageReference), bytes.count == 2 else { return nil }
        return UInt16(bytes[0]) << 8 | UInt16(bytes[1])
    }

    /// sar_total_segments; nil when absent or not 1 byte long.
    public var sarTotalSegments: UInt8? {
        guard let bytes = value(for: .sarTotalSegments), bytes.count == 1 else { return nil }
        return bytes[0]
    }

    /// sar_segment_seqnum; nil when absent or not 1 byte long.
    public var sarSegmentSequence: UInt8? {
        guard let bytes = value(for: .sarSegmentSequence), bytes.count == 1 else { return nil }
        return bytes[0]
    }
}
