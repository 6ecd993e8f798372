import NIOCore

/// A field that does not fit the wire format (a string too long or containing NUL, a short message over
/// 254 bytes, a TLV over 65,535 bytes). Raised before anything is sent.
public struct SMPPEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The specification's field name ("source_addr").
    public var field: String
    /// What is wrong with it.
    public var reason: String

    /// "source_addr: 25 bytes, at most 20 allowed".
    public var description: String { "\(field): \(reason)" }
}

extension SMPPPDU {
    /// The PDU on the wire: header (with command_length) and body.
    public func encoded() throws(SMPPEncodingError) -> ByteBuffer {
        var body = ByteBuffer()
        try self.body.encode(into: &body)
        return Self.frame(commandID: commandID, status: status, sequenceNumber: sequenceNumber, body: body)
    }

    /// A header followed by an already encoded body. Cannot fail: bodies are validated when encoded.
    static func frame(commandID: SMPPCommandID, status: SMPPCommandStatus, sequenceNumber: UInt32, body: ByteBuffer) -> ByteBuffer {
        var frame = ByteBuffer()
        frame.reserveCapacity(headerLength + body.readableBytes)
        frame.writeMultipleIntegers(UInt32(headerLength + body.readableBytes), commandID.rawValue, status.rawValue, sequenceNumber)
        frame.writeImmutableBuffer(body)
        return frame
    }
}

extension SMPPPDU.Body {
    /// Appends the body's fields in wire order.
    func encode(into buffer: inout ByteBuffer) throws(SMPPEncodingError) {
        switch self {
        case .bindTransceiver(let bind):
            try bind.encode(into: &buffer)
        case .bindTransceiverResp(let response):
            try buffer.writeCString(response.systemID, field: "system_id", maximumLength: SMPPFieldLimits.systemID)
            try buffer.writeTLVs(response.tlvs)
        case .submitSM(let message), .deliverSM(let message):
            try message.encode(into: &buffer)
        case .submitSMResp(let messageID):
            try buffer.writeCString(messageID, field: "message_id", maximumLength: SMPPFieldLimits.messageID)
        case .deliverSMResp:
            buffer.writeInteger(UInt8(0))
        case .unbind, .unbindResp, .enquireLink, .enquireLinkResp, .genericNack:
            break
        case .unknown(_, let body):
            buffer.writeBytes(body)
        }
    }
}

extension SMPPBindRequest {
    /// Appends bind_transceiver's fields.
    func encode(into buffer: inout ByteBuffer) throws(SMPPEncodingError) {
        try buffer.writeCString(systemID, field: "system_id", maximumLength: SMPPFieldLimits.systemID)
        try buffer.writeCString(password, field: "password", maximumLength: SMPPFieldLimits.password)
        try buffer.writeCString(systemType, field: "system_type", maximumLength: SMPPFieldLimits.systemType)
        buffer.writeMultipleIntegers(interfaceVersion, addressTON, addressNPI)
        try buffer.writeCString(addressRange, field: "address_range", maximumLength: SMPPFieldLimits.addressRange)
    }
}

extension SMPPShortMessage {
    /// Appends submit_sm / deliver_sm fields in wire order, then the TLVs.
    func encode(into buffer: inout ByteBuffer) throws(SMPPEncodingError) {
        guard shortMessage.count <= SMPPFieldLimits.shortMessage else {
            throw SMPPEncodingError(field: "short_message", reason: "\(shortMessage.count) bytes, at most 254 allowed (use message_payload)")
        }
        try buffer.writeCString(serviceType, field: "service_type", maximumLength: SMPPFieldLimits.serviceType)
        buffer.writeMultipleIntegers(source.ton, source.npi)
        try buffer.writeCString(source.address, field: "source_addr", maximumLength: SMPPFieldLimits.address)
        buffer.writeMultipleIntegers(destination.ton, destination.npi)
        try buffer.writeCString(destination.address, field: "destination_addr", maximumLength: SMPPFieldLimits.address)
        buffer.writeMultipleIntegers(esmClass, protocolID, priorityFlag)
        try buffer.writeCString(scheduleDeliveryTime, field: "schedule_delivery_time", maximumLength: SMPPFieldLimits.time)
        try buffer.writeCString(validityPeriod, field: "validity_period", maximumLength: SMPPFieldLimits.time)
        buffer.writeMultipleIntegers(registeredDelivery, replaceIfPresentFlag, dataCoding, smDefaultMessageID, UInt8(shortMessage.count))
        buffer.writeBytes(shortMessage)
        try buffer.writeTLVs(tlvs)
    }
}

extension ByteBuffer {
    /// Writes `text` and its NUL; `maximumLength` counts the NUL, as the specification does.
    fileprivate mutating func writeCString(_ text: String, field: String, maximumLength: Int) throws(SMPPEncodingError) {
        let bytes = Array(text.utf8)
        guard bytes.count < maximumLength else {
            throw SMPPEncodingError(field: field, reason: "\(bytes.count) bytes, at most \(maximumLength - 1) allowed")
        }
        guard !bytes.contains(0) else { throw SMPPEncodingError(field: field, reason: "contains NUL") }
        writeBytes(bytes)
        writeInteger(UInt8(0))
    }

    fileprivate mutating func writeTLVs(_ tlvs: [SMPPTLV]) throws(SMPPEncodingError) {
        for tlv in tlvs {
            guard let length = UInt16(exactly: tlv.value.count) else {
                let field = "TLV \(SMPPHex.word(UInt32(tlv.tag.rawValue)))"
                throw SMPPEncodingError(field: field, reason: "\(tlv.value.count) bytes, at most 65535 allowed")
            }
            writeMultipleIntegers(tlv.tag.rawValue, length)
            writeBytes(tlv.value)
        }
    }
}
