/// One received short message (an SMPP `deliver_sm`), taken apart: its user data header, if any, and the
/// payload after it, with the alphabet to read the payload in.
///
/// A part that belongs to a concatenated message has a ``concatenation``; feed it to a
/// ``ConcatenatedMessageAssembler`` to get the whole text. Decoding the payload waits until ``text`` is
/// asked for, so the assembler can join the parts' octets first (a sender may split a surrogate pair or an
/// escape sequence across parts).
public struct SMSInboundPart: Sendable, Equatable {
    /// How the payload is encoded.
    public var alphabet: SMSAlphabet
    /// The user data header, present when `esm_class` had the UDHI bit.
    public var header: SMSUserDataHeader?
    /// The user data after the header.
    public var payload: [UInt8]

    /// A part from its fields.
    public init(alphabet: SMSAlphabet, header: SMSUserDataHeader? = nil, payload: [UInt8]) {
        self.alphabet = alphabet
        self.header = header
        self.payload = payload
    }

    /// The part a `deliver_sm` carries: its `data_coding`, its `esm_class` and its `short_message` (or
    /// `message_payload`).
    ///
    /// When `esmClass` has ``SMSUserDataHeader/udhiFlag`` the message starts with a user data header, taken
    /// off here. It is followed directly by the text (unpacked septets need no fill bits). Throws when that
    /// header is malformed; the SMPP layer should still acknowledge the PDU, since resending will not fix it.
    public init(
        dataCoding: UInt8, esmClass: UInt8, shortMessage: some Collection<UInt8>
    ) throws(SMSUserDataHeaderError) {
        let alphabet = SMSAlphabet(dataCoding: dataCoding)
        if esmClass & SMSUserDataHeader.udhiFlag != 0 {
            let (header, rest) = try SMSUserDataHeader.split(shortMessage)
            self.init(alphabet: alphabet, header: header, payload: rest)
        } else {
            self.init(alphabet: alphabet, payload: Array(shortMessage))
        }
    }

    /// Where this part sits in a concatenated message, or `nil` for a message of its own.
    public var concatenation: SMSConcatenation? { header?.concatenation }

    /// This part's text on its own.
    public var text: String { alphabet.decode(payload) }
}
