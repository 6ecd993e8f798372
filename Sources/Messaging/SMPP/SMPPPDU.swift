/// One SMPP 3.4 protocol data unit: the 16-byte header's status and sequence number, and a typed body
/// (the body determines command_id; command_length is computed when encoding).
///
/// Only the commands a transceiver ESME exchanges have typed bodies; any other command decodes to
/// ``Body/unknown(_:body:)`` so the session can answer it with generic_nack.
public struct SMPPPDU: Hashable, Sendable {
    /// command_status: 0 in requests, the outcome in responses.
    public var status: SMPPCommandStatus
    /// sequence_number: pairs a response with its request (1...0x7FFFFFFF).
    public var sequenceNumber: UInt32
    /// The command and its fields.
    public var body: Body

    /// A PDU; requests leave `status` at ESME_ROK.
    public init(_ body: Body, sequenceNumber: UInt32, status: SMPPCommandStatus = .ok) {
        self.body = body
        self.sequenceNumber = sequenceNumber
        self.status = status
    }

    /// The command_id the body encodes as.
    public var commandID: SMPPCommandID { body.commandID }

    /// The header's size: command_length, command_id, command_status, sequence_number.
    public static let headerLength = 16

    /// The command and its mandatory and optional parameters.
    public enum Body: Hashable, Sendable {
        /// bind_transceiver.
        case bindTransceiver(SMPPBindRequest)
        /// bind_transceiver_resp.
        case bindTransceiverResp(SMPPBindResponse)
        /// unbind (header only).
        case unbind
        /// unbind_resp (header only).
        case unbindResp
        /// enquire_link (header only).
        case enquireLink
        /// enquire_link_resp (header only).
        case enquireLinkResp
        /// generic_nack (header only; the status says why).
        case genericNack
        /// submit_sm.
        case submitSM(SMPPShortMessage)
        /// submit_sm_resp: the SMSC's id for the message (empty, or absent on the wire, when it failed).
        case submitSMResp(messageID: String)
        /// deliver_sm: same layout as submit_sm.
        case deliverSM(SMPPShortMessage)
        /// deliver_sm_resp: message_id is unused and written empty.
        case deliverSMResp
        /// Any other command_id, with its raw body. Use only for ids without a case above.
        case unknown(SMPPCommandID, body: [UInt8])

        /// The command_id this body encodes as.
        public var commandID: SMPPCommandID {
            switch self {
            case .bindTransceiver: .bindTransceiver
            case .bindTransceiverResp: .bindTransceiverResp
            case .unbind: .unbind
            case .unbindResp: .unbindResp
            case .enquireLink: .enquireLink
            case .enquireLinkResp: .enquireLinkResp
            case .genericNack: .genericNack
            case .submitSM: .submitSM
            case .submitSMResp: .submitSMResp
            case .deliverSM: .deliverSM
            case .deliverSMResp: .deliverSMResp
            case .unknown(let id, _): id
            }
        }
    }
}

/// bind_transceiver's body (§4.1.5).
public struct SMPPBindRequest: Hashable, Sendable {
    /// The ESME's account name at the SMSC (at most 15 characters).
    public var systemID: String
    /// Its password (at most 8 characters).
    public var password: String
    /// The kind of ESME, often empty or agreed with the operator (at most 12 characters).
    public var systemType: String
    /// The SMPP version spoken: 0x34 for 3.4.
    public var interfaceVersion: UInt8
    /// Type of number of the addresses this ESME serves (usually 0).
    public var addressTON: UInt8
    /// Numbering plan of the addresses this ESME serves (usually 0).
    public var addressNPI: UInt8
    /// The addresses this ESME serves, as a regular expression (usually empty; at most 40 characters).
    public var addressRange: String

    /// A bind request; the defaults suit most SMSCs.
    public init(
        systemID: String, password: String, systemType: String = "", interfaceVersion: UInt8 = 0x34,
        addressTON: UInt8 = 0, addressNPI: UInt8 = 0, addressRange: String = ""
    ) {
        self.systemID = systemID
        self.password = password
        self.systemType = systemType
        self.interfaceVersion = interfaceVersion
        self.addressTON = addressTON
        self.addressNPI = addressNPI
        self.addressRange = addressRange
    }
}

/// bind_transceiver_resp's body (§4.1.6). SMSCs often omit it when the bind fails.
public struct SMPPBindResponse: Hashable, Sendable {
    /// The SMSC's name for itself.
    public var systemID: String
    /// Optional parameters (sc_interface_version).
    public var tlvs: [SMPPTLV]

    /// A bind response.
    public init(systemID: String, tlvs: [SMPPTLV] = []) {
        self.systemID = systemID
        self.tlvs = tlvs
    }
}

/// A source or destination address with its type of number and numbering plan (§5.2.5, §5.2.6).
public struct SMPPAddress: Hashable, Sendable {
    /// Type of number: 0 unknown, 1 international, 2 national, 5 alphanumeric, ...
    public var ton: UInt8
    /// Numbering plan indicator: 0 unknown, 1 ISDN (E.164), ...
    public var npi: UInt8
    /// The digits (without "+") or alphanumeric sender; at most 20 characters.
    public var address: String

    /// An address.
    public init(ton: UInt8 = 0, npi: UInt8 = 0, address: String = "") {
        self.ton = ton
        self.npi = npi
        self.address = address
    }
}

/// The body of submit_sm (§4.4.1) and deliver_sm (§4.6.1), which share one layout.
public struct SMPPShortMessage: Hashable, Sendable {
    /// The SMS application service (usually empty; at most 5 characters).
    public var serviceType: String
    /// Who sends.
    public var source: SMPPAddress
    /// Who receives.
    public var destination: SMPPAddress
    /// Messaging mode, message type (bits 2-5) and GSM features (UDHI 0x40, reply path 0x80).
    public var esmClass: UInt8
    /// GSM TP-Protocol-Identifier.
    public var protocolID: UInt8
    /// Priority (0 lowest to 3).
    public var priorityFlag: UInt8
    /// Absolute or relative time (16 characters) or empty for immediate delivery.
    public var scheduleDeliveryTime: String
    /// Absolute or relative expiry (16 characters) or empty for the SMSC's default.
    public var validityPeriod: String
    /// Receipts wanted: bits 0-1 = 1 asks for an SMSC delivery receipt on success or failure.
    public var registeredDelivery: UInt8
    /// Whether to replace an earlier message from the same source to the same destination.
    public var replaceIfPresentFlag: UInt8
    /// The encoding of the text (0 SMSC default alphabet, 8 UCS-2, ...).
    public var dataCoding: UInt8
    /// A canned message of the SMSC's, by index (0 for none).
    public var smDefaultMessageID: UInt8
    /// The text (and user data header, if esm_class has UDHI); at most 254 bytes, sm_length on the wire.
    public var shortMessage: [UInt8]
    /// Optional parameters, in order.
    public var tlvs: [SMPPTLV]

    /// A message; everything but the addresses and text defaults to 0 or empty.
    public init(
        serviceType: String = "", source: SMPPAddress = SMPPAddress(), destination: SMPPAddress = SMPPAddress(),
        esmClass: UInt8 = 0, protocolID: UInt8 = 0, priorityFlag: UInt8 = 0, scheduleDeliveryTime: String = "",
        validityPeriod: String = "", registeredDelivery: UInt8 = 0, replaceIfPresentFlag: UInt8 = 0,
        dataCoding: UInt8 = 0, smDefaultMessageID: UInt8 = 0, shortMessage: [UInt8] = [], tlvs: [SMPPTLV] = []
    ) {
        self.serviceType = serviceType
        self.source = source
        self.destination = destination
        self.esmClass = esmClass
        self.protocolID = protocolID
        self.priorityFlag = priorityFlag
        self.scheduleDeliveryTime = scheduleDeliveryTime
        self.validityPeriod = validityPeriod
        self.registeredDelivery = registeredDelivery
        self.replaceIfPresentFlag = replaceIfPresentFlag
        self.dataCoding = dataCoding
        self.smDefaultMessageID = smDefaultMessageID
        self.shortMessage = shortMessage
        self.tlvs = tlvs
    }

    /// What a deliver_sm carries, from esm_class bits 2-5 (§5.2.12).
    public enum MessageType: Hashable, Sendable {
        /// A default message: in deliver_sm, mobile-originated text.
        case normal
        /// An SMSC delivery receipt (0x04).
        case deliveryReceipt
        /// An intermediate delivery notification (0x20): a receipt for a non-final state.
        case intermediateNotification
        /// Any other type (SME acknowledgements, conversation abort), with its bits 2-5.
        case other(UInt8)
    }

    /// The message type from esm_class bits 2-5.
    public var messageType: MessageType {
        switch esmClass & 0x3C {
        case 0x00: .normal
        case 0x04: .deliveryReceipt
        case 0x20: .intermediateNotification
        case let bits: .other(bits)
        }
    }

    /// The text bytes: message_payload when present (it replaces short_message), otherwise short_message.
    public var payload: [UInt8] { tlvs.messagePayload ?? shortMessage }
}
