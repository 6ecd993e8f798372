/// Comparing SMSC message ids across submit_sm_resp and delivery receipts.
///
/// Many SMSCs answer submit_sm with one spelling of an id and put another in the receipt: hexadecimal in
/// one, decimal in the other (Appendix B even calls the receipt id "decimal" while SMSCs hand out hex),
/// padded with zeros, or in another case. Record ``normalized(_:)`` of the submit_sm_resp id, then look a
/// receipt up by each of ``equivalents(_:)`` of its id.
public enum SMPPMessageID {
    /// Lowercased, with leading zeros dropped ("0" stays "0"); surrounding whitespace removed.
    public static func normalized(_ id: some StringProtocol) -> String {
        let lowered = SMPPText.trimmed(id).lowercased()
        let trimmed = lowered.drop(while: { $0 == "0" })
        return trimmed.isEmpty && !lowered.isEmpty ? "0" : String(trimmed)
    }

    /// The normalized id, then its other numeric readings: all decimal digits → also its hexadecimal,
    /// all hexadecimal digits → also its decimal (numbers beyond 64 bits stay as written). A string of
    /// decimal digits is also valid hexadecimal, so it has both readings; duplicates are removed.
    public static func equivalents(_ id: some StringProtocol) -> [String] {
        let id = normalized(id)
        var forms = [id]
        if id.allSatisfy(\.isASCIIDecimalDigit), let value = UInt64(id) {
            forms.append(String(value, radix: 16))
        }
        if id.allSatisfy(\.isASCIIHexDigit), let value = UInt64(id, radix: 16) {
            forms.append(String(value))
        }
        var seen = Set<String>()
        return forms.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Whether two ids may name the same message under ``equivalents(_:)``.
    public static func matches(_ first: some StringProtocol, _ second: some StringProtocol) -> Bool {
        !Set(equivalents(first)).isDisjoint(with: equivalents(second))
    }
}

extension Character {
    fileprivate var isASCIIDecimalDigit: Bool { asciiValue.map { (0x30...0x39).contains($0) } ?? false }
    fileprivate var isASCIIHexDigit: Bool {
        asciiValue.map { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) } ?? false
    }
}

/// Foundation-free text helpers for the SMPP parsers.
enum SMPPText {
    /// Whether a character is a space, tab, CR or LF.
    static func isSpace(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\r" || character == "\n" || character == "\r\n"
    }

    /// The text without leading and trailing spaces, tabs, CR and LF.
    static func trimmed<Text: StringProtocol>(_ text: Text) -> Text.SubSequence {
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else {
            return text[text.endIndex...]
        }
        return text[first...last]
    }
}
