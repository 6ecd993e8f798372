/// An SMSC delivery receipt: which message it reports on, the state it reached, and the error if any.
///
/// Read from a deliver_sm whose esm_class says "SMSC delivery receipt": from the TLVs receipted_message_id,
/// message_state and network_error_code where present (they are structured), otherwise from the de-facto
/// text of SMPP 3.4 Appendix B:
/// `id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...`.
/// SMSCs vary, so the text parser is lenient: keys in any case, fields missing or reordered, ids of any
/// form (compare them with ``SMPPMessageID``), dates with or without seconds.
public struct SMPPDeliveryReceipt: Hashable, Sendable {
    /// What a receipt's state means for the message's status.
    public enum FinalStatus: String, Hashable, Sendable {
        /// It reached the handset.
        case delivered
        /// The network gave up on it (undeliverable, expired, deleted, unknown).
        case undelivered
        /// It was refused (rejected).
        case failed
    }

    /// The SMSC's message id, as the receipt spells it.
    public var messageID: String
    /// The state reached; a stat the parser does not recognise counts as ``SMPPMessageState/unknown``.
    public var state: SMPPMessageState
    /// The receipt text's err field as written ("000"); nil when absent.
    public var errorCode: String?
    /// The network_error_code TLV.
    public var networkError: SMPPNetworkErrorCode?
    /// The text's sub field: how many messages were submitted.
    public var submittedCount: Int?
    /// The text's dlvrd field: how many were delivered.
    public var deliveredCount: Int?
    /// When the message was submitted, in the SMSC's (unstated) time zone.
    public var submitDate: SMPPReceiptDate?
    /// When it reached its final state, in the SMSC's time zone.
    public var doneDate: SMPPReceiptDate?
    /// The text field: the start of the original message, when the SMSC echoes it.
    public var text: String?

    /// The status this receipt settles, or nil when the state is not final (ENROUTE, ACCEPTD).
    public var finalStatus: FinalStatus? { state.finalStatus }

    /// A receipt with the given fields.
    public init(
        messageID: String, state: SMPPMessageState, errorCode: String? = nil, networkError: SMPPNetworkErrorCode? = nil,
        submittedCount: Int? = nil, deliveredCount: Int? = nil, submitDate: SMPPReceiptDate? = nil,
        doneDate: SMPPReceiptDate? = nil, text: String? = nil
    ) {
        self.messageID = messageID
        self.state = state
        self.errorCode = errorCode
        self.networkError = networkError
        self.submittedCount = submittedCount
        self.deliveredCount = deliveredCount
        self.submitDate = submitDate
        self.doneDate = doneDate
        self.text = text
    }

    /// Parses receipt text; nil without an id or a stat.
    public init?(text: String) {
        self.init(fields: ReceiptText(text), tlvs: [])
    }

    /// Reads a deliver_sm's TLVs and text; nil when neither gives an id and a state. Does not look at
    /// esm_class: the caller decides that the message is a receipt.
    public init?(deliverSM message: SMPPShortMessage) {
        self.init(fields: ReceiptText(Self.text(of: message)), tlvs: message.tlvs)
    }

    private init?(fields: ReceiptText, tlvs: [SMPPTLV]) {
        let stat = fields["stat"].map { SMPPMessageState(statText: $0) ?? .unknown }
        guard let messageID = tlvs.receiptedMessageID ?? fields["id"].flatMap({ $0.isEmpty ? nil : $0 }),
            let state = tlvs.messageState ?? stat
        else { return nil }
        self.init(
            messageID: messageID, state: state,
            errorCode: fields["err"].flatMap { $0.isEmpty ? nil : $0 },
            networkError: tlvs.networkErrorCode,
            submittedCount: fields["sub"].flatMap { Int($0) },
            deliveredCount: fields["dlvrd"].flatMap { Int($0) },
            submitDate: fields["submit date"].flatMap(SMPPReceiptDate.init(digits:)),
            doneDate: fields["done date"].flatMap(SMPPReceiptDate.init(digits:)),
            text: fields["text"]
        )
    }

    /// The receipt text: short_message or message_payload, UCS-2 when data_coding says so, otherwise
    /// read as ASCII-compatible bytes (the fields are ASCII in every default alphabet).
    private static func text(of message: SMPPShortMessage) -> String {
        let bytes = message.payload
        guard message.dataCoding == 0x08 else { return String(decoding: bytes, as: UTF8.self) }
        let units = stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        return String(decoding: units, as: UTF16.self)
    }
}

extension SMPPMessageState {
    /// DELIVRD → delivered; UNDELIV, EXPIRED, DELETED, UNKNOWN → undelivered; REJECTD → failed;
    /// ENROUTE and ACCEPTD are not final (nil).
    public var finalStatus: SMPPDeliveryReceipt.FinalStatus? {
        switch self {
        case .delivered: .delivered
        case .undeliverable, .expired, .deleted, .unknown: .undelivered
        case .rejected: .failed
        case .enroute, .accepted: nil
        }
    }
}

/// A receipt timestamp, YYMMDDhhmm[ss], in the SMSC's local time (the format carries no zone).
public struct SMPPReceiptDate: Hashable, Sendable {
    /// Four-digit year (20YY).
    public var year: Int
    /// 1...12.
    public var month: Int
    /// 1...31.
    public var day: Int
    /// 0...23.
    public var hour: Int
    /// 0...59.
    public var minute: Int
    /// 0...59; 0 when the SMSC writes 10 digits.
    public var second: Int

    /// Parses 10 (YYMMDDhhmm) or 12 (YYMMDDhhmmss) ASCII digits; nil for anything else or out-of-range parts.
    public init?(digits: some StringProtocol) {
        let values = digits.utf8.map { Int($0) - 0x30 }
        guard values.count == 10 || values.count == 12, values.allSatisfy({ (0...9).contains($0) }) else { return nil }
        let pairs = stride(from: 0, to: values.count, by: 2).map { values[$0] * 10 + values[$0 + 1] }
        let second = pairs.count == 6 ? pairs[5] : 0
        guard (1...12).contains(pairs[1]), (1...31).contains(pairs[2]), pairs[3] < 24, pairs[4] < 60, second < 60 else { return nil }
        (year, month, day, hour, minute, self.second) = (2000 + pairs[0], pairs[1], pairs[2], pairs[3], pairs[4], second)
    }
}

/// The key:value fields of a receipt text, keyed by their canonical lowercase names.
private struct ReceiptText {
    /// Spellings seen in the wild, longest first where one is a prefix of another.
    private static let keys: [(canonical: String, spellings: [String])] = [
        ("submit date", ["submit date", "submit_date", "submitdate"]),
        ("done date", ["done date", "done_date", "donedate"]),
        ("dlvrd", ["dlvrd"]),
        ("stat", ["stat"]),
        ("sub", ["sub"]),
        ("err", ["err"]),
        ("text", ["text"]),
        ("id", ["id"]),
    ]

    private var values: [String: String] = [:]

    subscript(key: String) -> String? { values[key] }

    /// Scans for `key:` at word starts; a value runs to the next whitespace, except text, which takes the
    /// rest. The first occurrence of a key wins.
    init(_ text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            guard index == 0 || Self.isSpace(bytes[index - 1]), let (key, afterColon) = Self.key(in: bytes, at: index) else {
                index += 1
                continue
            }
            var start = afterColon
            while start < bytes.count, Self.isSpace(bytes[start]) { start += 1 }
            if key == "text" {
                values[key] = String(SMPPText.trimmed(String(decoding: bytes[start...], as: UTF8.self)))
                return
            }
            // "err: text:…" is an empty err, not an err named "text:".
            var end = start
            if Self.key(in: bytes, at: start) == nil {
                while end < bytes.count, !Self.isSpace(bytes[end]) { end += 1 }
            }
            if values[key] == nil { values[key] = String(decoding: bytes[start..<end], as: UTF8.self) }
            index = max(end, afterColon)
        }
    }

    /// The canonical key spelled at `index` and followed by a colon, and the index after the colon.
    private static func key(in bytes: [UInt8], at index: Int) -> (String, Int)? {
        for (canonical, spellings) in keys {
            for spelling in spellings {
                let end = index + spelling.utf8.count
                guard end < bytes.count, bytes[end] == UInt8(ascii: ":") else { continue }
                if zip(bytes[index..<end], spelling.utf8).allSatisfy({ lowercased($0) == $1 }) { return (canonical, end + 1) }
            }
        }
        return nil
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
