/// The GSM 7-bit default alphabet of 3GPP TS 23.038 §6.2.1 and its extension table (§6.2.1.1).
///
/// Septets here are *unpacked*, one per byte in 0...0x7F, which is how SMPP carries text with `data_coding` 0.
/// A character of the extension table takes two septets, the escape 0x1B and then its code, so it counts twice
/// against a message's length. ``pack(_:fillBits:)`` and ``unpack(_:septetCount:fillBits:)`` convert to and
/// from the 7-bit packing of the air interface (TS 23.038 §6.1.2.1).
///
/// Position 0x09 is the capital "Ç", as TS 23.038 prints it and Twilio's segment calculator maps it; the
/// lowercase "ç" is not in the alphabet (a handset would show it capitalised), so it makes a message UCS-2.
public enum GSM7 {
    /// The septet that makes the next one a code of the extension table.
    public static let escape: UInt8 = 0x1B

    /// The basic table, indexed by septet, 16 to a row. Position 0x1B holds U+001B only as a placeholder for
    /// the escape: it is never encoded from text, and decoding handles the escape before looking here.
    static let basicTable: [Unicode.Scalar] = Array(
        [
            "@£$¥èéùìòÇ\nØø\rÅå",
            "Δ_ΦΓΛΩΠΨΣΘΞ\u{1B}ÆæßÉ",
            " !\"#¤%&'()*+,-./",
            "0123456789:;<=>?",
            "¡ABCDEFGHIJKLMNO",
            "PQRSTUVWXYZÄÖÑÜ§",
            "¿abcdefghijklmno",
            "pqrstuvwxyzäöñüà",
        ].joined().unicodeScalars
    )

    /// The extension table: code (after the escape) → character. Codes not listed here are shown as the basic
    /// table's character (TS 23.038 §6.2.1.1, note on unknown codes).
    static let extensionTable: [UInt8: Unicode.Scalar] = [
        0x0A: "\u{0C}",  // form feed, a page break
        0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\", 0x3C: "[", 0x3D: "~", 0x3E: "]", 0x40: "|", 0x65: "€",
    ]

    /// Character → septet in the basic table, without the escape's placeholder.
    private static let basicCodes: [Unicode.Scalar: UInt8] = Dictionary(
        uniqueKeysWithValues: basicTable.enumerated().compactMap { index, scalar -> (Unicode.Scalar, UInt8)? in
            index == Int(escape) ? nil : (scalar, UInt8(index))
        }
    )

    /// Character → code in the extension table.
    private static let extensionCodes: [Unicode.Scalar: UInt8] = Dictionary(
        uniqueKeysWithValues: extensionTable.map { code, scalar in (scalar, code) }
    )

    /// The unpacked septets of `text`, extension characters as the escape followed by their code, or `nil`
    /// when some character has no GSM 7-bit form.
    ///
    /// The text is read scalar by scalar, so "\r\n" (one Swift `Character`) gives the two septets 0x0D 0x0A,
    /// and a letter with a combining accent (e.g. "e\u{301}") is not representable even when its precomposed
    /// form is.
    public static func septets(for text: String) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard let septets = septets(for: scalar) else { return nil }
            result.append(contentsOf: septets)
        }
        return result
    }

    /// The septets of one character: one from the basic table, or the escape and a code from the extension
    /// table; `nil` when the alphabet lacks it.
    static func septets(for scalar: Unicode.Scalar) -> [UInt8]? {
        if let code = basicCodes[scalar] { return [code] }
        if let code = extensionCodes[scalar] { return [escape, code] }
        return nil
    }

    /// The text that unpacked septets stand for, as a handset would show it.
    ///
    /// Following TS 23.038: an escape before a code the extension table does not define shows the basic
    /// table's character for that code; an escape before another escape (reserved for a further extension
    /// table) shows a space, as does an escape at the very end. A byte above 0x7F cannot be a septet and
    /// becomes U+FFFD.
    public static func decode(_ septets: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        var escaped = false
        for septet in septets {
            if septet > 0x7F {
                scalars.append("\u{FFFD}")
                escaped = false
            } else if escaped {
                escaped = false
                scalars.append(septet == escape ? " " : extensionTable[septet] ?? basicTable[Int(septet)])
            } else if septet == escape {
                escaped = true
            } else {
                scalars.append(basicTable[Int(septet)])
            }
        }
        if escaped { scalars.append(" ") }
        return String(scalars)
    }

    /// Septets packed seven bits each into octets, least significant bits first, after `fillBits` zero bits.
    ///
    /// The fill bits align the text to a septet boundary when a user data header precedes it in the same
    /// user data (see ``fillBits(afterHeaderOctets:)``); the header itself is not part of the result.
    /// Bits above the seventh of each septet are ignored.
    public static func pack(_ septets: some Collection<UInt8>, fillBits: Int = 0) -> [UInt8] {
        precondition((0..<7).contains(fillBits), "fill bits are 0 to 6")
        var octets = [UInt8](repeating: 0, count: (fillBits + septets.count * 7 + 7) / 8)
        var bit = fillBits
        for septet in septets {
            let shifted = UInt16(septet & 0x7F) << (bit % 8)
            octets[bit / 8] |= UInt8(truncatingIfNeeded: shifted)
            // Only a septet that straddles two octets has bits for the next one, so that octet exists.
            if shifted > 0xFF { octets[bit / 8 + 1] |= UInt8(truncatingIfNeeded: shifted >> 8) }
            bit += 7
        }
        return octets
    }

    /// The septets packed in `octets` after `fillBits` bits, the reverse of ``pack(_:fillBits:)``.
    ///
    /// Pass `septetCount` from the message's user data length: seven septets fill seven octets with one bit
    /// short of an eighth, so without it a trailing "@" (0x00) could appear. A count larger than the octets
    /// hold is cut to what they hold.
    public static func unpack(_ octets: some Collection<UInt8>, septetCount: Int? = nil, fillBits: Int = 0) -> [UInt8] {
        precondition((0..<7).contains(fillBits), "fill bits are 0 to 6")
        let bytes = Array(octets)
        let available = max(0, (bytes.count * 8 - fillBits) / 7)
        let count = max(0, min(septetCount ?? available, available))
        return (0..<count).map { index in
            let bit = fillBits + index * 7
            let low = UInt16(bytes[bit / 8])
            let high: UInt16 = bit / 8 + 1 < bytes.count ? UInt16(bytes[bit / 8 + 1]) : 0
            return UInt8(truncatingIfNeeded: ((high << 8 | low) >> (bit % 8)) & 0x7F)
        }
    }

    /// The zero bits between a user data header of `count` octets (its length octet included) and packed
    /// text, so the text starts on a septet boundary (TS 23.040 §9.2.3.24): 1 for the 6-octet concatenation
    /// header, 0 for the 7-octet one with a 16-bit reference.
    public static func fillBits(afterHeaderOctets count: Int) -> Int {
        (7 - (count * 8) % 7) % 7
    }
}
