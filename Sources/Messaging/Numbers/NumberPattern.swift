/// Twilio's `Contains` search pattern for available numbers: 2 to 16 characters of digits and Latin letters
/// (letters stand for their telephone-keypad digits, so `STORM` is `78676`), with meta-characters: `*` any one
/// digit, `%` any run of digits (at either end only), a leading `+` anchoring the pattern at the start of the
/// E.164 number (country code included) and a trailing `$` at its end. Unanchored, it matches anywhere.
public struct NumberPattern: Sendable, Equatable {
    /// The pattern as a SQL `LIKE` pattern over the E.164 number: digits, `_` and `%` only.
    public let likePattern: String

    /// Parses `text`; the error says what is wrong, for a 400 naming `Contains`.
    public init(_ text: String) throws(NumberPatternError) {
        let characters = Array(text)
        guard (2...16).contains(characters.count) else { throw .length }
        var body = characters[...]
        let anchoredAtStart = body.first == "+"
        if anchoredAtStart { body = body.dropFirst() }
        let anchoredAtEnd = body.last == "$"
        if anchoredAtEnd { body = body.dropLast() }

        var like = anchoredAtStart ? "+" : "%"
        var literals = 0
        for (offset, character) in body.enumerated() {
            switch character {
            case "0"..."9":
                like.append(character)
                literals += 1
            case "*":
                like.append("_")
            case "%":
                guard offset == 0 || offset == body.count - 1 else { throw .misplacedMeta("%") }
                if !like.hasSuffix("%") { like.append("%") }
            case "+", "$":
                throw .misplacedMeta(character)
            default:
                guard let digit = Self.keypadDigit(character) else { throw .character(character) }
                like.append(digit)
                literals += 1
            }
        }
        guard literals >= 2 else { throw .tooFewLiterals }
        if !anchoredAtEnd, !like.hasSuffix("%") { like.append("%") }
        likePattern = like
    }

    /// The keypad digit of a Latin letter (ITU E.161): ABC 2, DEF 3, GHI 4, JKL 5, MNO 6, PQRS 7, TUV 8, WXYZ 9.
    static func keypadDigit(_ letter: Character) -> Character? {
        guard let ascii = letter.asciiValue, letter.isLetter else { return nil }
        let index = Int(ascii | 0x20) - Int(UInt8(ascii: "a"))
        guard (0..<26).contains(index) else { return nil }
        return Array("22233344455566677778889999")[index]
    }
}

/// Why a `Contains` pattern was refused.
public enum NumberPatternError: Error, Equatable, CustomStringConvertible {
    case length
    case character(Character)
    case misplacedMeta(Character)
    case tooFewLiterals

    public var description: String {
        switch self {
        case .length: "must be 2 to 16 characters long"
        case .character(let character): "may hold only digits, Latin letters and * % + $, not '\(character)'"
        case .misplacedMeta("%"): "may use % only at its start or end"
        case .misplacedMeta(let character): "may use \(character) only as its \(character == "+" ? "first" : "last") character"
        case .tooFewLiterals: "must include at least two digits or letters"
        }
    }
}
