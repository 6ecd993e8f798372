/// A phone number in E.164 form: `+`, then 7 to 15 digits, the first not zero (ITU-T E.164 allows 15 at most;
/// the shortest national plans give 7).
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    /// `+14155551212`.
    public let e164: String

    /// Parses exactly the E.164 form; nil for anything else.
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 8, utf8.count <= 16, utf8[0] == UInt8(ascii: "+"), utf8[1] != UInt8(ascii: "0"),
            utf8.dropFirst().allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        e164 = String(text)
    }

    /// Parses E.164 written with the usual separators (spaces, `-`, `.`, `(`, `)`), as people paste numbers:
    /// `+1 (415) 555-1212`. The `+` and the country code are still required: Parley never guesses a country.
    public init?(lenient text: some StringProtocol) {
        let separators: Set<Character> = [" ", "-", ".", "(", ")", "\u{00A0}"]
        self.init(String(text.filter { !separators.contains($0) }))
    }

    public var description: String { e164 }

    /// The digits after the `+`.
    public var digits: Substring { e164.dropFirst() }

    /// In the North American Numbering Plan (`+1` and ten digits).
    public var isNANP: Bool { e164.utf8.count == 12 && e164.hasPrefix("+1") }

    /// The three-digit area code of a NANP number; nil elsewhere (Twilio's `AreaCode` is NANP only too).
    public var areaCode: Substring? { isNANP ? e164.dropFirst(2).prefix(3) : nil }

    /// How Twilio shows the number: `(415) 555-1212` in the NANP, the E.164 form elsewhere.
    public var friendlyName: String {
        guard isNANP else { return e164 }
        let national = e164.dropFirst(2)
        return "(\(national.prefix(3))) \(national.dropFirst(3).prefix(3))-\(national.suffix(4))"
    }
}
