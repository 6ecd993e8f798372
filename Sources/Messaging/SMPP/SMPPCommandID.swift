/// An SMPP 3.4 command_id (§5.1.2.1): which operation a PDU carries. Responses are their request's id
/// with the high bit set.
///
/// A struct rather than an enum because a peer may send any 32-bit value; the ones this ESME speaks have
/// names, the rest still round-trip (and are answered with generic_nack).
public struct SMPPCommandID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value on the wire.
    public var rawValue: UInt32

    /// Wraps a wire value.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The response to a request that could not be understood (bad header or unknown command).
    public static let genericNack = SMPPCommandID(rawValue: 0x8000_0000)
    /// Binds as transmitter and receiver on one connection.
    public static let bindTransceiver = SMPPCommandID(rawValue: 0x0000_0009)
    /// The answer to bind_transceiver.
    public static let bindTransceiverResp = SMPPCommandID(rawValue: 0x8000_0009)
    /// Ends the session (either side may send it).
    public static let unbind = SMPPCommandID(rawValue: 0x0000_0006)
    /// The answer to unbind.
    public static let unbindResp = SMPPCommandID(rawValue: 0x8000_0006)
    /// A keep-alive probe (either side may send it).
    public static let enquireLink = SMPPCommandID(rawValue: 0x0000_0015)
    /// The answer to enquire_link.
    public static let enquireLinkResp = SMPPCommandID(rawValue: 0x8000_0015)
    /// A message from the ESME to the SMSC.
    public static let submitSM = SMPPCommandID(rawValue: 0x0000_0004)
    /// The SMSC's answer to submit_sm, carrying its message id.
    public static let submitSMResp = SMPPCommandID(rawValue: 0x8000_0004)
    /// A message from the SMSC: mobile-originated, or a delivery receipt.
    public static let deliverSM = SMPPCommandID(rawValue: 0x0000_0005)
    /// The ESME's answer to deliver_sm.
    public static let deliverSMResp = SMPPCommandID(rawValue: 0x8000_0005)

    /// Whether the id names a response (high bit set); responses are never answered, even with generic_nack.
    public var isResponse: Bool { rawValue & 0x8000_0000 != 0 }

    /// The specification's name ("submit_sm"), or the hexadecimal value for ids this ESME does not speak.
    public var description: String {
        switch self {
        case .genericNack: "generic_nack"
        case .bindTransceiver: "bind_transceiver"
        case .bindTransceiverResp: "bind_transceiver_resp"
        case .unbind: "unbind"
        case .unbindResp: "unbind_resp"
        case .enquireLink: "enquire_link"
        case .enquireLinkResp: "enquire_link_resp"
        case .submitSM: "submit_sm"
        case .submitSMResp: "submit_sm_resp"
        case .deliverSM: "deliver_sm"
        case .deliverSMResp: "deliver_sm_resp"
        default: SMPPHex.word(rawValue)
        }
    }
}

/// Fixed-width hexadecimal for log text.
enum SMPPHex {
    /// "0x00000058".
    static func word(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
