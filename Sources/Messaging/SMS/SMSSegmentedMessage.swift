/// How a message body travels: the GSM 7-bit default alphabet, or UCS-2.
///
/// The raw value is the encoding's name as Twilio writes it.
public enum SMSEncoding: String, Sendable, Hashable {
    /// The GSM 7-bit default alphabet with its extension table: 160 septets in one part, 153 in each part of
    /// a concatenated message.
    case gsm7 = "GSM-7"
    /// UTF-16 big-endian (strictly UCS-2 is BMP only, but handsets take surrogate pairs): 70 code units in one
    /// part, 67 in each part of a concatenated message.
    case ucs2 = "UCS-2"

    /// The SMPP `data_coding` for this encoding: 0x00 (the SMSC default alphabet, taken to be GSM 7-bit,
    /// carried unpacked) or 0x08 (UCS-2).
    public var dataCoding: UInt8 {
        switch self {
        case .gsm7: 0x00
        case .ucs2: 0x08
        }
    }

    /// Payload octets that fit in a message of one part: 140 octets of user data, GSM septets being counted
    /// unpacked (160 × 7 bits = 140 octets).
    var singlePartCapacity: Int {
        switch self {
        case .gsm7: 160
        case .ucs2: 140
        }
    }

    /// Payload octets per part of a concatenated message, the 6-octet header taking the rest: 153 septets
    /// (plus one fill bit) or 67 UTF-16 units.
    var concatenatedPartCapacity: Int {
        switch self {
        case .gsm7: 153
        case .ucs2: 134
        }
    }
}

/// A message body cut into the SMS parts that carry it, the way Twilio counts `num_segments`.
///
/// The body is GSM 7-bit when every character is in the default alphabet or its extension table, otherwise
/// UCS-2. Up to 160 septets (extension characters counting two) or 70 UTF-16 units it goes in one part;
/// beyond that each part holds at most 153 septets or 67 units. A part never ends between an escape and its
/// code, nor inside a UTF-16 surrogate pair; in UCS-2 it also keeps each user-perceived character (an emoji
/// with a skin tone, a flag) whole when that fits in a part, as Twilio's segment calculator does. Either
/// way a part may then hold one or more units less.
///
/// An empty body is one GSM 7-bit part with an empty payload.
public struct SMSSegmentedMessage: Sendable, Equatable {
    /// The most parts a concatenated message can have: the header numbers them in one octet.
    public static let maximumParts = 255

    /// The encoding every part uses.
    public let encoding: SMSEncoding
    /// Each part's payload, without any header: unpacked GSM septets, or UTF-16 big-endian octets.
    public let parts: [[UInt8]]

    /// Segments `body`.
    public init(body: String) {
        if let pieces = Self.gsm7Pieces(of: body) {
            encoding = .gsm7
            parts = Self.split(pieces, encoding: .gsm7)
        } else {
            encoding = .ucs2
            parts = Self.split(Self.ucs2Pieces(of: body), encoding: .ucs2)
        }
    }

    /// How many SMS messages carry the body: Twilio's `num_segments` (a string in its JSON).
    public var numSegments: Int { parts.count }

    /// The SMPP `data_coding` of every part.
    public var dataCoding: UInt8 { encoding.dataCoding }

    /// The SMPP `esm_class` bits every part needs: ``SMSUserDataHeader/udhiFlag`` when the message is
    /// concatenated (each `short_message` then starts with a header), otherwise none.
    public var esmClass: UInt8 { parts.count > 1 ? SMSUserDataHeader.udhiFlag : 0 }

    /// The `short_message` of each part: the payload alone for a single part, otherwise the concatenation
    /// header `05 00 03 <reference> <total> <sequence>` followed by the payload.
    ///
    /// `reference` must differ between concatenated messages in flight to the same recipient; it is 8 bits,
    /// so a counter per destination that wraps is enough. Throws when the body needs more than
    /// ``maximumParts`` parts.
    public func shortMessages(reference: UInt8) throws(SMSSegmentationError) -> [[UInt8]] {
        guard parts.count > 1 else { return parts }
        guard let total = UInt8(exactly: parts.count) else { throw .tooManyParts(parts.count) }
        return parts.enumerated().map { index, payload in
            let concatenation = SMSConcatenation(reference: reference, total: total, sequence: UInt8(index + 1))
            return SMSUserDataHeader(concatenation: concatenation).prepended(to: payload)
        }
    }

    /// The body's septets in unbreakable pieces, one per character (an escape and its code stay together), or
    /// `nil` when some character is not in the GSM 7-bit alphabet.
    private static func gsm7Pieces(of body: String) -> [[UInt8]]? {
        var pieces: [[UInt8]] = []
        for scalar in body.unicodeScalars {
            guard let septets = GSM7.septets(for: scalar) else { return nil }
            pieces.append(septets)
        }
        return pieces
    }

    /// The body's UTF-16 big-endian octets in unbreakable pieces: a whole `Character` when it fits in one
    /// part, otherwise its scalars one by one (one or two code units each, so a surrogate pair stays together).
    private static func ucs2Pieces(of body: String) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        for character in body {
            let whole = bigEndianOctets(character.utf16)
            if whole.count <= SMSEncoding.ucs2.concatenatedPartCapacity {
                pieces.append(whole)
            } else {
                pieces.append(contentsOf: character.unicodeScalars.map { bigEndianOctets($0.utf16) })
            }
        }
        return pieces
    }

    private static func bigEndianOctets(_ units: some Sequence<UInt16>) -> [UInt8] {
        units.flatMap { [UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)] }
    }

    /// Packs unbreakable `pieces` into parts: one part when everything fits in a single message, otherwise
    /// greedily into parts of the concatenated capacity.
    private static func split(_ pieces: [[UInt8]], encoding: SMSEncoding) -> [[UInt8]] {
        let total = pieces.reduce(0) { $0 + $1.count }
        if total <= encoding.singlePartCapacity { return [Array(pieces.joined())] }
        let capacity = encoding.concatenatedPartCapacity
        var parts: [[UInt8]] = []
        var current: [UInt8] = []
        for piece in pieces {
            if current.count + piece.count > capacity {
                parts.append(current)
                current = []
            }
            current.append(contentsOf: piece)
        }
        parts.append(current)
        return parts
    }
}

/// Why a segmented message cannot be sent as concatenated SMS.
public enum SMSSegmentationError: Error, Equatable, Sendable {
    /// The body needs this many parts, more than ``SMSSegmentedMessage/maximumParts``.
    case tooManyParts(Int)
}
