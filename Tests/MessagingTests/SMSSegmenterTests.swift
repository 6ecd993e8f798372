import Testing

@testable import Messaging

@Suite struct SMSSegmenterTests {
    private func a(_ count: Int) -> String { String(repeating: "a", count: count) }

    @Test func emptyBodyIsOneGSMSegment() throws {
        let message = SMSSegmentedMessage(body: "")
        #expect(message.encoding == .gsm7)
        #expect(message.numSegments == 1)
        #expect(message.parts == [[]])
        #expect(message.esmClass == 0)
        #expect(try message.shortMessages(reference: 1) == [[]])
    }

    @Test(arguments: [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)])
    func gsmSegmentBoundaries(length: Int, segments: Int) {
        let message = SMSSegmentedMessage(body: a(length))
        #expect(message.encoding == .gsm7)
        #expect(message.numSegments == segments)
        #expect(message.parts.map(\.count).reduce(0, +) == length)
    }

    @Test func fourHundredCharactersMakeThreeParts() throws {
        let body = String((0..<400).map { Character(Unicode.Scalar(UInt8(0x61 + $0 % 26))) })
        let message = SMSSegmentedMessage(body: body)
        #expect(message.parts.map(\.count) == [153, 153, 94])
        #expect(message.dataCoding == 0x00)
        #expect(message.esmClass == 0x40)

        let shortMessages = try message.shortMessages(reference: 0x2A)
        #expect(shortMessages.count == 3)
        for (index, shortMessage) in shortMessages.enumerated() {
            #expect(Array(shortMessage.prefix(6)) == [0x05, 0x00, 0x03, 0x2A, 0x03, UInt8(index + 1)])
            #expect(Array(shortMessage.dropFirst(6)) == message.parts[index])
        }
        #expect(shortMessages[0].count == 159)
        #expect(GSM7.decode(message.parts.joined()) == body)
    }

    @Test func extensionCharactersCountTwice() {
        #expect(SMSSegmentedMessage(body: String(repeating: "€", count: 80)).numSegments == 1)
        #expect(SMSSegmentedMessage(body: String(repeating: "€", count: 80) + "a").numSegments == 2)
        #expect(SMSSegmentedMessage(body: a(158) + "[").numSegments == 1)
        #expect(SMSSegmentedMessage(body: a(159) + "[").numSegments == 2)
        #expect(SMSSegmentedMessage(body: a(159) + "[").encoding == .gsm7)
    }

    @Test func crlfCountsTwoSeptets() {
        #expect(SMSSegmentedMessage(body: String(repeating: "\r\n", count: 80)).numSegments == 1)
        #expect(SMSSegmentedMessage(body: String(repeating: "\r\n", count: 80) + "a").numSegments == 2)
    }

    @Test func escapePairAtABoundaryMovesToTheNextPart() {
        let message = SMSSegmentedMessage(body: a(152) + "€" + String(repeating: "b", count: 10))
        #expect(message.parts.map(\.count) == [152, 12])
        #expect(Array(message.parts[1].prefix(3)) == [0x1B, 0x65, 0x62])

        // One septet earlier the pair fits exactly.
        let fits = SMSSegmentedMessage(body: a(151) + "€" + String(repeating: "b", count: 10))
        #expect(fits.parts.map(\.count) == [153, 10])
        #expect(Array(fits.parts[0].suffix(2)) == [0x1B, 0x65])
    }

    @Test func escapeShiftsCanAddASegment() {
        // 306 septets would fill two parts exactly, but both escape pairs straddle a boundary.
        let body = a(152) + "€" + a(150) + "€"
        let message = SMSSegmentedMessage(body: body)
        #expect(message.parts.map(\.count) == [152, 152, 2])
        #expect(GSM7.decode(message.parts.joined()) == body)
    }

    @Test func oneEmojiMakesTheMessageUCS2() {
        let message = SMSSegmentedMessage(body: "Hi 😀")
        #expect(message.encoding == .ucs2)
        #expect(message.encoding.rawValue == "UCS-2")
        #expect(message.dataCoding == 0x08)
        #expect(message.parts == [[0x00, 0x48, 0x00, 0x69, 0x00, 0x20, 0xD8, 0x3D, 0xDE, 0x00]])
    }

    @Test func gsmOrUCS2DependsOnEveryCharacter() {
        #expect(SMSSegmentedMessage(body: "Ça va, café?").encoding == .gsm7)
        #expect(SMSSegmentedMessage(body: "ça").encoding == .ucs2)
        #expect(SMSSegmentedMessage(body: "fête").encoding == .ucs2)
        #expect(SMSSegmentedMessage(body: "`quoted`").encoding == .ucs2)
        #expect(SMSSegmentedMessage(body: "ΔΦΓ {x}").encoding == .gsm7)
        #expect(SMSEncoding.gsm7.rawValue == "GSM-7")
    }

    @Test func ucs2UnitBoundaries() {
        // The emoji is two UTF-16 units.
        #expect(SMSSegmentedMessage(body: a(68) + "😀").numSegments == 1)
        #expect(SMSSegmentedMessage(body: a(69) + "😀").numSegments == 2)
        #expect(SMSSegmentedMessage(body: "ê" + a(69)).numSegments == 1)
        #expect(SMSSegmentedMessage(body: "ê" + a(70)).numSegments == 2)
        // A non-GSM character turns 161 characters into 67-unit parts.
        #expect(SMSSegmentedMessage(body: "ê" + a(160)).numSegments == 3)
    }

    @Test func ucs2PartsHold67Units() throws {
        let message = SMSSegmentedMessage(body: "ê" + a(201))
        #expect(message.parts.map(\.count) == [134, 134, 134, 2])
        #expect(try message.shortMessages(reference: 7).map(\.count) == [140, 140, 140, 8])
    }

    @Test func anEmojiIsNeverSplit() {
        let message = SMSSegmentedMessage(body: a(66) + "😀" + String(repeating: "b", count: 10))
        #expect(message.parts.map(\.count) == [132, 24])
        #expect(Array(message.parts[1].prefix(4)) == [0xD8, 0x3D, 0xDE, 0x00])
    }

    @Test func aCharacterOfSeveralScalarsStaysWhole() {
        // 👍🏽 is two scalars, four units: it does not fit after 65 units, so the first part ends there.
        let body = a(65) + "👍🏽" + String(repeating: "b", count: 5)
        let message = SMSSegmentedMessage(body: body)
        #expect(message.parts.map(\.count) == [130, 18])
        #expect(SMSAlphabet.ucs2.decode(message.parts[1]).hasPrefix("👍🏽"))
    }

    @Test func aCharacterTooLongForAPartIsSplitBetweenScalars() {
        // One Character of 81 units: "e" and 80 combining acute accents.
        let body = "e" + String(repeating: "\u{301}", count: 80)
        #expect(body.count == 1)
        let message = SMSSegmentedMessage(body: body)
        #expect(message.parts.map(\.count) == [134, 28])
        #expect(SMSAlphabet.ucs2.decode(message.parts.joined()) == body)
    }

    @Test(arguments: ["Hello, world!", "Price: 10€ [net] {ok}\r\nThanks", "Grüße 👋 from Zürich", "日本語のテキスト" + String(repeating: "😀", count: 40)])
    func partsDecodeBackToTheBody(body: String) {
        let message = SMSSegmentedMessage(body: body)
        let alphabet = SMSAlphabet(dataCoding: message.dataCoding)
        #expect(alphabet.decode(message.parts.joined()) == body)
    }

    @Test func tooManyPartsCannotBeNumbered() throws {
        #expect(try SMSSegmentedMessage(body: a(153 * 255)).shortMessages(reference: 0).count == 255)
        let tooLong = SMSSegmentedMessage(body: a(153 * 255 + 1))
        #expect(tooLong.numSegments == 256)
        #expect(throws: SMSSegmentationError.tooManyParts(256)) { _ = try tooLong.shortMessages(reference: 0) }
    }
}
