import Testing

@testable import Messaging

@Suite struct SMSEncodingTests {
    @Test func basicTableHas128DistinctCharacters() {
        #expect(GSM7.basicTable.count == 128)
        #expect(Set(GSM7.basicTable).count == 128)
        #expect(GSM7.basicTable[Int(GSM7.escape)] == "\u{1B}")
    }

    @Test func basicCharactersEncodeToTheirPosition() {
        let expected: [(Unicode.Scalar, UInt8)] = [
            ("@", 0x00), ("£", 0x01), ("$", 0x02), ("Ç", 0x09), ("\n", 0x0A), ("\r", 0x0D), ("Δ", 0x10), ("_", 0x11),
            ("É", 0x1F), (" ", 0x20), ("¤", 0x24), ("0", 0x30), ("?", 0x3F), ("¡", 0x40), ("A", 0x41), ("§", 0x5F),
            ("¿", 0x60), ("a", 0x61), ("z", 0x7A), ("ü", 0x7E), ("à", 0x7F),
        ]
        for (scalar, code) in expected {
            #expect(GSM7.septets(for: String(scalar)) == [code], "\(scalar)")
        }
    }

    @Test func extensionCharactersTakeTheEscapeAndACode() {
        let expected: [(String, UInt8)] = [
            ("\u{0C}", 0x0A), ("^", 0x14), ("{", 0x28), ("}", 0x29), ("\\", 0x2F), ("[", 0x3C), ("~", 0x3D), ("]", 0x3E),
            ("|", 0x40), ("€", 0x65),
        ]
        for (text, code) in expected {
            #expect(GSM7.septets(for: text) == [0x1B, code], "\(text)")
        }
    }

    @Test func crlfIsOneCharacterButTwoSeptets() {
        #expect("\r\n".count == 1)
        #expect(GSM7.septets(for: "a\r\nb") == [0x61, 0x0D, 0x0A, 0x62])
    }

    @Test func charactersOutsideTheAlphabetAreNotRepresentable() {
        for text in ["ç", "ê", "`", "\t", "😀", "e\u{301}", "a€b✓"] {
            #expect(GSM7.septets(for: text) == nil, "\(text)")
        }
        #expect(GSM7.septets(for: "") == [])
    }

    @Test func everyCharacterRoundTrips() {
        let basic = GSM7.basicTable.enumerated().filter { $0.offset != Int(GSM7.escape) }.map(\.element)
        let text = String(String.UnicodeScalarView(basic)) + "\u{0C}^{}\\[~]|€"
        let septets = GSM7.septets(for: text)
        #expect(septets?.count == 127 + 2 * 10)
        #expect(septets.map(GSM7.decode) == text)
    }

    @Test func decodingFollowsTheRulesForOddEscapes() {
        // An escape before a code the extension table lacks shows the basic character.
        #expect(GSM7.decode([0x1B, 0x41, 0x62]) == "Ab")
        // Escape escape is reserved for another table and shows a space; so does a final escape.
        #expect(GSM7.decode([0x61, 0x1B, 0x1B, 0x62]) == "a b")
        #expect(GSM7.decode([0x61, 0x1B]) == "a ")
        // Not septets.
        #expect(GSM7.decode([0x61, 0x80, 0xFF]) == "a\u{FFFD}\u{FFFD}")
        #expect(GSM7.decode([0x00, 0x09, 0x1B, 0x65]) == "@Ç€")
    }

    @Test func packsTheClassicExample() {
        let septets = GSM7.septets(for: "hellohello") ?? []
        #expect(GSM7.pack(septets) == [0xE8, 0x32, 0x9B, 0xFD, 0x46, 0x97, 0xD9, 0xEC, 0x37])
        #expect(GSM7.unpack([0xE8, 0x32, 0x9B, 0xFD, 0x46, 0x97, 0xD9, 0xEC, 0x37], septetCount: 10) == septets)
    }

    @Test func packsAfterFillBits() {
        // One fill bit, then "A" (1000001) in bits 1 to 7.
        #expect(GSM7.pack([0x41], fillBits: 1) == [0x82])
        #expect(GSM7.unpack([0x82], septetCount: 1, fillBits: 1) == [0x41])
        // A full concatenated GSM part: 6 header octets + 1 fill bit + 153 septets = 140 octets.
        let septets = (0..<153).map { UInt8($0 % 128) }
        let packed = GSM7.pack(septets, fillBits: GSM7.fillBits(afterHeaderOctets: 6))
        #expect(packed.count == 134)
        #expect(GSM7.unpack(packed, septetCount: 153, fillBits: 1) == septets)
    }

    @Test func fillBitsAlignTheTextToASeptet() {
        #expect(GSM7.fillBits(afterHeaderOctets: 6) == 1)
        #expect(GSM7.fillBits(afterHeaderOctets: 7) == 0)
        #expect(GSM7.fillBits(afterHeaderOctets: 0) == 0)
        #expect(GSM7.fillBits(afterHeaderOctets: 1) == 6)
    }

    @Test func unpackNeedsTheSeptetCountWhenTheLastOctetIsFull() {
        let septets: [UInt8] = [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67]
        let packed = GSM7.pack(septets)
        #expect(packed.count == 7)
        #expect(GSM7.unpack(packed, septetCount: 7) == septets)
        #expect(GSM7.unpack(packed) == septets + [0x00])
        // A count past the end is cut to what the octets hold.
        #expect(GSM7.unpack(packed, septetCount: 100).count == 8)
        #expect(GSM7.unpack([], septetCount: 3) == [])
    }
}
