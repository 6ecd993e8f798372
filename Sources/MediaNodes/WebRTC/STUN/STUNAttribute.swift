/// One STUN attribute (RFC 8489 §14, RFC 8445 §16.1), decoded when ICE needs it, kept raw otherwise so
/// a message re-encodes without loss.
enum STUNAttribute: Hashable, Sendable {
    /// USERNAME: for ICE "<receiver's ufrag>:<sender's ufrag>".
    case username(String)
    /// MESSAGE-INTEGRITY: the HMAC-SHA1 of the message before it (20 bytes).
    case messageIntegrity([UInt8])
    /// FINGERPRINT: CRC-32 of the message before it, xor 0x5354554E.
    case fingerprint(UInt32)
    /// XOR-MAPPED-ADDRESS: the address the request came from, as seen by the responder (4- or 16-byte ip).
    case xorMappedAddress(ip: [UInt8], port: UInt16)
    /// PRIORITY: the priority a peer-reflexive candidate learnt from this check would get.
    case priority(UInt32)
    /// USE-CANDIDATE: the controlling agent nominates the pair of this check.
    case useCandidate
    /// ICE-CONTROLLING: the sender is the controlling agent; the value breaks role ties.
    case iceControlling(tiebreaker: UInt64)
    /// ICE-CONTROLLED: the sender is the controlled agent; the value breaks role ties.
    case iceControlled(tiebreaker: UInt64)
    /// ERROR-CODE of an error response.
    case errorCode(STUNErrorCode)
    /// SOFTWARE: a free-form description of the sender's software.
    case software(String)
    /// Any other attribute, value without its padding.
    case unknown(type: UInt16, value: [UInt8])

    /// The registered attribute types this codec decodes.
    enum Kind {
        static let username: UInt16 = 0x0006
        static let messageIntegrity: UInt16 = 0x0008
        static let errorCode: UInt16 = 0x0009
        static let xorMappedAddress: UInt16 = 0x0020
        static let priority: UInt16 = 0x0024
        static let useCandidate: UInt16 = 0x0025
        static let software: UInt16 = 0x8022
        static let fingerprint: UInt16 = 0x8028
        static let iceControlled: UInt16 = 0x8029
        static let iceControlling: UInt16 = 0x802A
    }

    /// USERNAME must be shorter than 509 bytes (RFC 8489 §14.3).
    static let maximumUsernameLength = 508

    /// The attribute type on the wire.
    var type: UInt16 {
        switch self {
        case .username: Kind.username
        case .messageIntegrity: Kind.messageIntegrity
        case .fingerprint: Kind.fingerprint
        case .xorMappedAddress: Kind.xorMappedAddress
        case .priority: Kind.priority
        case .useCandidate: Kind.useCandidate
        case .iceControlling: Kind.iceControlling
        case .iceControlled: Kind.iceControlled
        case .errorCode: Kind.errorCode
        case .software: Kind.software
        case .unknown(let type, _): type
        }
    }

    /// Decodes the value of an attribute of `type`; XOR-MAPPED-ADDRESS needs the message's transaction ID.
    init(type: UInt16, value: [UInt8], transactionID: STUNTransactionID) throws(MalformedPacket) {
        switch type {
        case Kind.username:
            guard value.count <= Self.maximumUsernameLength, let username = String(validating: value, as: UTF8.self) else {
                throw MalformedPacket("USERNAME is too long or not UTF-8")
            }
            self = .username(username)
        case Kind.messageIntegrity:
            guard value.count == 20 else { throw MalformedPacket("MESSAGE-INTEGRITY of \(value.count) bytes") }
            self = .messageIntegrity(value)
        case Kind.fingerprint:
            self = .fingerprint(try Self.uint32(value, "FINGERPRINT"))
        case Kind.xorMappedAddress:
            let (ip, port) = try Self.decodeXORAddress(value, transactionID: transactionID)
            self = .xorMappedAddress(ip: ip, port: port)
        case Kind.priority:
            self = .priority(try Self.uint32(value, "PRIORITY"))
        case Kind.useCandidate:
            guard value.isEmpty else { throw MalformedPacket("USE-CANDIDATE with a value") }
            self = .useCandidate
        case Kind.iceControlling:
            self = .iceControlling(tiebreaker: try Self.uint64(value, "ICE-CONTROLLING"))
        case Kind.iceControlled:
            self = .iceControlled(tiebreaker: try Self.uint64(value, "ICE-CONTROLLED"))
        case Kind.errorCode:
            self = .errorCode(try STUNErrorCode(attributeValue: value))
        case Kind.software:
            guard let software = String(validating: value, as: UTF8.self) else { throw MalformedPacket("SOFTWARE is not UTF-8") }
            self = .software(software)
        default:
            self = .unknown(type: type, value: value)
        }
    }

    /// The attribute value, unpadded.
    func encodedValue(transactionID: STUNTransactionID) -> [UInt8] {
        var value: [UInt8] = []
        switch self {
        case .username(let username): value = Array(username.utf8)
        case .messageIntegrity(let mac): value = mac
        case .fingerprint(let crc): value.appendUInt32(crc)
        case .xorMappedAddress(let ip, let port): value = Self.encodeXORAddress(ip: ip, port: port, transactionID: transactionID)
        case .priority(let priority): value.appendUInt32(priority)
        case .useCandidate: break
        case .iceControlling(let tiebreaker), .iceControlled(let tiebreaker):
            value.appendUInt32(UInt32(truncatingIfNeeded: tiebreaker >> 32))
            value.appendUInt32(UInt32(truncatingIfNeeded: tiebreaker))
        case .errorCode(let error): value = error.attributeValue
        case .software(let software): value = Array(software.utf8)
        case .unknown(_, let raw): value = raw
        }
        return value
    }

    private static func uint32(_ value: [UInt8], _ name: String) throws(MalformedPacket) -> UInt32 {
        guard value.count == 4 else { throw MalformedPacket("\(name) of \(value.count) bytes") }
        return value.uint32(at: 0)
    }

    private static func uint64(_ value: [UInt8], _ name: String) throws(MalformedPacket) -> UInt64 {
        guard value.count == 8 else { throw MalformedPacket("\(name) of \(value.count) bytes") }
        return UInt64(value.uint32(at: 0)) << 32 | UInt64(value.uint32(at: 4))
    }

    /// The bytes an address is xored with: the magic cookie, then (IPv6) the transaction ID (RFC 8489 §14.2).
    private static func xorMask(transactionID: STUNTransactionID) -> [UInt8] {
        var mask: [UInt8] = []
        mask.appendUInt32(STUNMessage.magicCookie)
        return mask + transactionID.bytes
    }

    /// Decodes XOR-MAPPED-ADDRESS: reserved byte, family (1 IPv4, 2 IPv6), x-port, x-address.
    private static func decodeXORAddress(_ value: [UInt8], transactionID: STUNTransactionID) throws(MalformedPacket) -> ([UInt8], UInt16) {
        guard value.count >= 4 else { throw MalformedPacket("XOR-MAPPED-ADDRESS of \(value.count) bytes") }
        let addressLength: Int
        switch value[1] {
        case 0x01: addressLength = 4
        case 0x02: addressLength = 16
        default: throw MalformedPacket("XOR-MAPPED-ADDRESS family \(value[1])")
        }
        guard value.count == 4 + addressLength else { throw MalformedPacket("XOR-MAPPED-ADDRESS of \(value.count) bytes") }
        let port = value.uint16(at: 2) ^ UInt16(STUNMessage.magicCookie >> 16)
        let mask = xorMask(transactionID: transactionID)
        let ip = (0..<addressLength).map { value[4 + $0] ^ mask[$0] }
        return (ip, port)
    }

    /// Encodes XOR-MAPPED-ADDRESS; an ip that is neither 4 nor 16 bytes is written as given with family 0
    /// (the receiver refuses it), since the codec never traps on a caller's value.
    private static func encodeXORAddress(ip: [UInt8], port: UInt16, transactionID: STUNTransactionID) -> [UInt8] {
        let family: UInt8 = ip.count == 4 ? 0x01 : ip.count == 16 ? 0x02 : 0x00
        var value: [UInt8] = [0, family]
        value.appendUInt16(port ^ UInt16(STUNMessage.magicCookie >> 16))
        let mask = xorMask(transactionID: transactionID)
        value += ip.enumerated().map { index, byte in index < mask.count ? byte ^ mask[index] : byte }
        return value
    }
}
