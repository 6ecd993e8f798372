import NIOCore

/// A PDU whose frame was sound but whose body was not: the connection can go on, and the session answers
/// a request with generic_nack carrying ``status`` and the request's sequence number.
public struct SMPPDecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The command the header announced.
    public var commandID: SMPPCommandID
    /// The header's sequence number, for the nack.
    public var sequenceNumber: UInt32
    /// The header's command_status (meaningful when the PDU was a response).
    public var headerStatus: SMPPCommandStatus
    /// The status to nack with (ESME_RINVCMDLEN, ESME_RINVMSGLEN, ESME_RINVOPTPARSTREAM, ...).
    public var status: SMPPCommandStatus
    /// What was wrong, for logs.
    public var reason: String

    /// "submit_sm #7: source_addr has no NUL within 21 bytes".
    public var description: String { "\(commandID) #\(sequenceNumber): \(reason)" }
}

/// Why a body could not be read; the decoder adds the header's fields to make an ``SMPPDecodeError``.
struct SMPPBodyError: Error {
    /// The status to nack with.
    var status: SMPPCommandStatus
    /// What was wrong, for logs.
    var reason: String
}

extension SMPPPDU {
    /// Decodes one complete frame (header included, command_length already checked against its size).
    static func decode(frame: ByteBuffer) -> Result<SMPPPDU, SMPPDecodeError> {
        var frame = frame
        // The frame decoder only hands over frames of at least 16 bytes, so the else branch is defensive.
        guard let header = frame.readMultipleIntegers(as: (UInt32, UInt32, UInt32, UInt32).self) else {
            return .failure(SMPPDecodeError(
                commandID: SMPPCommandID(rawValue: 0), sequenceNumber: 0, headerStatus: .ok,
                status: .invalidCommandLength, reason: "frame shorter than the 16-byte header"
            ))
        }
        var reader = SMPPBodyReader(buffer: frame)
        let (commandID, status, sequenceNumber) = (SMPPCommandID(rawValue: header.1), SMPPCommandStatus(rawValue: header.2), header.3)
        do {
            let body = try Body.decode(commandID, from: &reader)
            return .success(SMPPPDU(body, sequenceNumber: sequenceNumber, status: status))
        } catch {
            return .failure(SMPPDecodeError(
                commandID: commandID, sequenceNumber: sequenceNumber, headerStatus: status,
                status: error.status, reason: error.reason
            ))
        }
    }
}

extension SMPPPDU.Body {
    /// Reads the body of `commandID` from what follows the header.
    fileprivate static func decode(_ commandID: SMPPCommandID, from reader: inout SMPPBodyReader) throws(SMPPBodyError) -> Self {
        switch commandID {
        case .bindTransceiver:
            return .bindTransceiver(SMPPBindRequest(
                systemID: try reader.readCString("system_id", maximumLength: SMPPFieldLimits.systemID),
                password: try reader.readCString("password", maximumLength: SMPPFieldLimits.password),
                systemType: try reader.readCString("system_type", maximumLength: SMPPFieldLimits.systemType),
                interfaceVersion: try reader.readByte("interface_version"),
                addressTON: try reader.readByte("addr_ton"),
                addressNPI: try reader.readByte("addr_npi"),
                addressRange: try reader.readCString("address_range", maximumLength: SMPPFieldLimits.addressRange)
            ))
        case .bindTransceiverResp:
            // SMSCs commonly send no body at all with an error status.
            guard reader.remaining > 0 else { return .bindTransceiverResp(SMPPBindResponse(systemID: "")) }
            let systemID = try reader.readCString("system_id", maximumLength: SMPPFieldLimits.systemID)
            return .bindTransceiverResp(SMPPBindResponse(systemID: systemID, tlvs: try reader.readTLVs()))
        case .submitSMResp:
            // The body is absent when the submit failed (§4.4.2). Anything after message_id (SMPP 5.0 TLVs)
            // is ignored: nothing in it changes the outcome.
            guard reader.remaining > 0 else { return .submitSMResp(messageID: "") }
            return .submitSMResp(messageID: try reader.readCString("message_id", maximumLength: SMPPFieldLimits.messageID))
        case .deliverSMResp:
            if reader.remaining > 0 { _ = try reader.readCString("message_id", maximumLength: SMPPFieldLimits.messageID) }
            return .deliverSMResp
        case .submitSM:
            return .submitSM(try SMPPShortMessage.decode(from: &reader))
        case .deliverSM:
            return .deliverSM(try SMPPShortMessage.decode(from: &reader))
        // Header-only commands: stray body bytes (some SMSCs pad) are ignored rather than refused.
        case .unbind: return .unbind
        case .unbindResp: return .unbindResp
        case .enquireLink: return .enquireLink
        case .enquireLinkResp: return .enquireLinkResp
        case .genericNack: return .genericNack
        default:
            return .unknown(commandID, body: reader.readRest())
        }
    }
}

extension SMPPShortMessage {
    /// Reads submit_sm / deliver_sm fields in their wire order, then the TLVs.
    fileprivate static func decode(from reader: inout SMPPBodyReader) throws(SMPPBodyError) -> Self {
        let serviceType = try reader.readCString("service_type", maximumLength: SMPPFieldLimits.serviceType)
        let source = SMPPAddress(
            ton: try reader.readByte("source_addr_ton"), npi: try reader.readByte("source_addr_npi"),
            address: try reader.readCString("source_addr", maximumLength: SMPPFieldLimits.address)
        )
        let destination = SMPPAddress(
            ton: try reader.readByte("dest_addr_ton"), npi: try reader.readByte("dest_addr_npi"),
            address: try reader.readCString("destination_addr", maximumLength: SMPPFieldLimits.address)
        )
        var message = SMPPShortMessage(
            serviceType: serviceType, source: source, destination: destination,
            esmClass: try reader.readByte("esm_class"),
            protocolID: try reader.readByte("protocol_id"),
            priorityFlag: try reader.readByte("priority_flag"),
            scheduleDeliveryTime: try reader.readCString("schedule_delivery_time", maximumLength: SMPPFieldLimits.time),
            validityPeriod: try reader.readCString("validity_period", maximumLength: SMPPFieldLimits.time),
            registeredDelivery: try reader.readByte("registered_delivery"),
            replaceIfPresentFlag: try reader.readByte("replace_if_present_flag"),
            dataCoding: try reader.readByte("data_coding"),
            smDefaultMessageID: try reader.readByte("sm_default_msg_id")
        )
        let length = try reader.readByte("sm_length")
        guard let text = reader.readBytes(Int(length)) else {
            throw SMPPBodyError(status: .invalidMessageLength, reason: "sm_length \(length) exceeds the \(reader.remaining) bytes left")
        }
        message.shortMessage = text
        message.tlvs = try reader.readTLVs()
        return message
    }
}

/// The specification's maximum sizes of C-Octet Strings, terminating NUL included (§4).
enum SMPPFieldLimits {
    /// system_id.
    static let systemID = 16
    /// password.
    static let password = 9
    /// system_type.
    static let systemType = 13
    /// address_range.
    static let addressRange = 41
    /// service_type.
    static let serviceType = 6
    /// source_addr and destination_addr.
    static let address = 21
    /// schedule_delivery_time and validity_period.
    static let time = 17
    /// message_id.
    static let messageID = 65
    /// sm_length's range (§5.2.21).
    static let shortMessage = 254
}

/// Reads body fields from a frame, turning every shortfall into an ``SMPPBodyError``; never traps.
struct SMPPBodyReader {
    /// The unread part of the body.
    var buffer: ByteBuffer

    /// How many body bytes are left.
    var remaining: Int { buffer.readableBytes }

    /// One octet.
    mutating func readByte(_ field: String) throws(SMPPBodyError) -> UInt8 {
        guard let value = buffer.readInteger(as: UInt8.self) else { throw truncated(field) }
        return value
    }

    /// `count` octets, or nil when fewer are left.
    mutating func readBytes(_ count: Int) -> [UInt8]? {
        buffer.readBytes(length: count)
    }

    /// Everything left.
    mutating func readRest() -> [UInt8] {
        buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    /// A NUL-terminated string whose terminator lies within `maximumLength` bytes.
    mutating func readCString(_ field: String, maximumLength: Int) throws(SMPPBodyError) -> String {
        guard let length = buffer.readableBytesView.prefix(maximumLength).firstIndex(of: 0).map({ $0 - buffer.readableBytesView.startIndex }),
            let bytes = buffer.readBytes(length: length)
        else {
            if buffer.readableBytes < maximumLength { throw truncated(field) }
            throw SMPPBodyError(status: .invalidCommandLength, reason: "\(field) has no NUL within \(maximumLength) bytes")
        }
        buffer.moveReaderIndex(forwardBy: 1)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// TLVs up to the end of the body; a partial TLV is an error.
    mutating func readTLVs() throws(SMPPBodyError) -> [SMPPTLV] {
        var tlvs: [SMPPTLV] = []
        while buffer.readableBytes > 0 {
            guard let tag = buffer.readInteger(as: UInt16.self), let length = buffer.readInteger(as: UInt16.self) else {
                throw SMPPBodyError(status: .invalidOptionalParameterStream, reason: "a TLV header cut short")
            }
            guard let value = buffer.readBytes(length: Int(length)) else {
                throw SMPPBodyError(
                    status: .invalidOptionalParameterStream,
                    reason: "TLV \(SMPPHex.word(UInt32(tag))) claims \(length) bytes, \(buffer.readableBytes) left"
                )
            }
            tlvs.append(SMPPTLV(tag: SMPPTLV.Tag(rawValue: tag), value: value))
        }
        return tlvs
    }

    private func truncated(_ field: String) -> SMPPBodyError {
        SMPPBodyError(status: .invalidCommandLength, reason: "body ends before \(field)")
    }
}
