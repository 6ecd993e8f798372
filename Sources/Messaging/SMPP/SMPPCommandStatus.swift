/// An SMPP command_status (§5.1.3): 0 in requests and in successful responses, an error code otherwise.
///
/// A struct because SMSCs use vendor-specific values (0x400–0x4FF and beyond); every value round-trips,
/// and the ones of the specification have their names for logs.
public struct SMPPCommandStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value on the wire.
    public var rawValue: UInt32

    /// Wraps a wire value.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// No error.
    public static let ok = SMPPCommandStatus(rawValue: 0x00)
    /// Message length is invalid.
    public static let invalidMessageLength = SMPPCommandStatus(rawValue: 0x01)
    /// Command length is invalid.
    public static let invalidCommandLength = SMPPCommandStatus(rawValue: 0x02)
    /// Invalid command id.
    public static let invalidCommandID = SMPPCommandStatus(rawValue: 0x03)
    /// Incorrect bind status for the given command (e.g. submit_sm before bind).
    public static let invalidBindStatus = SMPPCommandStatus(rawValue: 0x04)
    /// The ESME is already bound.
    public static let alreadyBound = SMPPCommandStatus(rawValue: 0x05)
    /// System error.
    public static let systemError = SMPPCommandStatus(rawValue: 0x08)
    /// Invalid source address.
    public static let invalidSourceAddress = SMPPCommandStatus(rawValue: 0x0A)
    /// Invalid destination address.
    public static let invalidDestinationAddress = SMPPCommandStatus(rawValue: 0x0B)
    /// Bind failed.
    public static let bindFailed = SMPPCommandStatus(rawValue: 0x0D)
    /// Invalid password.
    public static let invalidPassword = SMPPCommandStatus(rawValue: 0x0E)
    /// Invalid system id.
    public static let invalidSystemID = SMPPCommandStatus(rawValue: 0x0F)
    /// The SMSC's message queue is full: retry later.
    public static let messageQueueFull = SMPPCommandStatus(rawValue: 0x14)
    /// Invalid esm_class.
    public static let invalidESMClass = SMPPCommandStatus(rawValue: 0x43)
    /// submit_sm failed.
    public static let submitFailed = SMPPCommandStatus(rawValue: 0x45)
    /// The ESME exceeded its allowed message rate: retry later.
    public static let throttled = SMPPCommandStatus(rawValue: 0x58)
    /// The ESME cannot handle the message now (answering deliver_sm): the SMSC retries.
    public static let temporaryApplicationError = SMPPCommandStatus(rawValue: 0x64)
    /// The ESME rejects the message for good (answering deliver_sm).
    public static let permanentApplicationError = SMPPCommandStatus(rawValue: 0x65)
    /// Error in the optional part (TLVs) of the PDU body.
    public static let invalidOptionalParameterStream = SMPPCommandStatus(rawValue: 0xC0)
    /// Invalid parameter length.
    public static let invalidParameterLength = SMPPCommandStatus(rawValue: 0xC2)
    /// Unknown error.
    public static let unknownError = SMPPCommandStatus(rawValue: 0xFF)
    /// Invalid data_coding (SMPP 5.0, also sent by many 3.4 SMSCs).
    public static let invalidDataCoding = SMPPCommandStatus(rawValue: 0x104)

    /// Whether a submit_sm answered with this status should be retried after a pause rather than failed:
    /// the SMSC is busy, the message itself is fine.
    public var isThrottling: Bool { self == .throttled || self == .messageQueueFull }

    /// The specification's name ("ESME_RTHROTTLED"), nil for values it does not define.
    public var name: String? { Self.catalogue[rawValue]?.name }

    /// "ESME_RTHROTTLED (0x00000058): Throttling error" for logs; vendor values show their number only.
    public var description: String {
        guard let entry = Self.catalogue[rawValue] else { return "\(SMPPHex.word(rawValue)): vendor-specific or unknown status" }
        return "\(entry.name) (\(SMPPHex.word(rawValue))): \(entry.meaning)"
    }

    /// SMPP 3.4 §5.1.3, plus ESME_RINVDCS from 5.0.
    private static let catalogue: [UInt32: (name: String, meaning: String)] = [
        0x00: ("ESME_ROK", "No error"),
        0x01: ("ESME_RINVMSGLEN", "Message length is invalid"),
        0x02: ("ESME_RINVCMDLEN", "Command length is invalid"),
        0x03: ("ESME_RINVCMDID", "Invalid command ID"),
        0x04: ("ESME_RINVBNDSTS", "Incorrect bind status for given command"),
        0x05: ("ESME_RALYBND", "ESME already in bound state"),
        0x06: ("ESME_RINVPRTFLG", "Invalid priority flag"),
        0x07: ("ESME_RINVREGDLVFLG", "Invalid registered delivery flag"),
        0x08: ("ESME_RSYSERR", "System error"),
        0x0A: ("ESME_RINVSRCADR", "Invalid source address"),
        0x0B: ("ESME_RINVDSTADR", "Invalid destination address"),
        0x0C: ("ESME_RINVMSGID", "Message ID is invalid"),
        0x0D: ("ESME_RBINDFAIL", "Bind failed"),
        0x0E: ("ESME_RINVPASWD", "Invalid password"),
        0x0F: ("ESME_RINVSYSID", "Invalid system ID"),
        0x11: ("ESME_RCANCELFAIL", "Cancel SM failed"),
        0x13: ("ESME_RREPLACEFAIL", "Replace SM failed"),
        0x14: ("ESME_RMSGQFUL", "Message queue full"),
        0x15: ("ESME_RINVSERTYP", "Invalid service type"),
        0x33: ("ESME_RINVNUMDESTS", "Invalid number of destinations"),
        0x34: ("ESME_RINVDLNAME", "Invalid distribution list name"),
        0x40: ("ESME_RINVDESTFLAG", "Destination flag is invalid"),
        0x42: ("ESME_RINVSUBREP", "Invalid submit with replace request"),
        0x43: ("ESME_RINVESMCLASS", "Invalid esm_class field data"),
        0x44: ("ESME_RCNTSUBDL", "Cannot submit to distribution list"),
        0x45: ("ESME_RSUBMITFAIL", "submit_sm or submit_multi failed"),
        0x48: ("ESME_RINVSRCTON", "Invalid source address TON"),
        0x49: ("ESME_RINVSRCNPI", "Invalid source address NPI"),
        0x50: ("ESME_RINVDSTTON", "Invalid destination address TON"),
        0x51: ("ESME_RINVDSTNPI", "Invalid destination address NPI"),
        0x53: ("ESME_RINVSYSTYP", "Invalid system_type field"),
        0x54: ("ESME_RINVREPFLAG", "Invalid replace_if_present flag"),
        0x55: ("ESME_RINVNUMMSGS", "Invalid number of messages"),
        0x58: ("ESME_RTHROTTLED", "Throttling error"),
        0x61: ("ESME_RINVSCHED", "Invalid scheduled delivery time"),
        0x62: ("ESME_RINVEXPIRY", "Invalid message validity period"),
        0x63: ("ESME_RINVDFTMSGID", "Predefined message invalid or not found"),
        0x64: ("ESME_RX_T_APPN", "ESME receiver temporary app error"),
        0x65: ("ESME_RX_P_APPN", "ESME receiver permanent app error"),
        0x66: ("ESME_RX_R_APPN", "ESME receiver reject message error"),
        0x67: ("ESME_RQUERYFAIL", "query_sm request failed"),
        0xC0: ("ESME_RINVOPTPARSTREAM", "Error in the optional part of the PDU body"),
        0xC1: ("ESME_ROPTPARNOTALLWD", "Optional parameter not allowed"),
        0xC2: ("ESME_RINVPARLEN", "Invalid parameter length"),
        0xC3: ("ESME_RMISSINGOPTPARAM", "Expected optional parameter missing"),
        0xC4: ("ESME_RINVOPTPARAMVAL", "Invalid optional parameter value"),
        0xFE: ("ESME_RDELIVERYFAILURE", "Delivery failure (data_sm_resp)"),
        0xFF: ("ESME_RUNKNOWNERR", "Unknown error"),
        0x104: ("ESME_RINVDCS", "Invalid data coding scheme"),
    ]
}
