/// The character set of a received short message, read from its SMPP `data_coding`, and how to turn its octets
/// into text.
///
/// Values 0x00 to 0x0F are SMPP 3.4's own (§5.2.19); SMSCs pass higher values through as the GSM data coding
/// scheme (3GPP TS 23.038 §4), whose alphabet bits are read here. Character sets we do not convert (JIS,
/// Cyrillic, Hebrew, KS C 5601, binary data) are read as ``octets``.
public enum SMSAlphabet: Sendable, Hashable {
    /// The GSM 7-bit default alphabet, unpacked (one septet per octet).
    case gsm7
    /// IA5 (CCITT T.50), i.e. ASCII.
    case ascii
    /// ISO 8859-1.
    case latin1
    /// UCS-2, read as UTF-16 big-endian so surrogate pairs from modern handsets survive.
    case ucs2
    /// 8-bit data or a character set we do not convert: read as UTF-8 when valid, otherwise as Latin-1.
    case octets

    /// The alphabet `dataCoding` names.
    public init(dataCoding: UInt8) {
        switch dataCoding {
        case 0x00: self = .gsm7
        case 0x01: self = .ascii
        case 0x03: self = .latin1
        case 0x08: self = .ucs2
        case 0x00...0x0F: self = .octets
        case 0x10...0x7F:
            // General data coding: bit 5 means compressed (TS 23.042), bits 3–2 the alphabet (11 is reserved,
            // to be taken as the default alphabet).
            if dataCoding & 0x20 != 0 {
                self = .octets
            } else {
                switch dataCoding & 0x0C {
                case 0x04: self = .octets
                case 0x08: self = .ucs2
                default: self = .gsm7
                }
            }
        case 0xC0...0xDF: self = .gsm7  // message waiting indication, default alphabet
        case 0xE0...0xEF: self = .ucs2  // message waiting indication, UCS-2
        case 0xF0...0xFF: self = dataCoding & 0x04 == 0 ? .gsm7 : .octets  // message class groups
        default: self = .octets  // 0x80...0xBF are reserved coding groups
        }
    }

    /// The text `bytes` (the user data after any header) stand for; what cannot be read becomes U+FFFD.
    public func decode(_ bytes: some Collection<UInt8>) -> String {
        switch self {
        case .gsm7:
            return GSM7.decode(bytes)
        case .ascii:
            return String(String.UnicodeScalarView(bytes.map { $0 < 0x80 ? Unicode.Scalar($0) : "\u{FFFD}" }))
        case .latin1:
            return Self.latin1(bytes)
        case .ucs2:
            let octets = Array(bytes)
            let units = stride(from: 0, to: octets.count - 1, by: 2).map { UInt16(octets[$0]) << 8 | UInt16(octets[$0 + 1]) }
            // An odd trailing octet is half a code unit.
            return String(decoding: units, as: UTF16.self) + (octets.count % 2 == 1 ? "\u{FFFD}" : "")
        case .octets:
            let octets = Array(bytes)
            return String(validating: octets, as: UTF8.self) ?? Self.latin1(octets)
        }
    }

    /// Each octet as the code point of the same value.
    private static func latin1(_ bytes: some Collection<UInt8>) -> String {
        String(String.UnicodeScalarView(bytes.map(Unicode.Scalar.init)))
    }
}
