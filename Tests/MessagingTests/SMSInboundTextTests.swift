import Testing

@testable import Messaging

@Suite struct SMSInboundTextTests {
    private let start = ContinuousClock.now

    @Test(arguments: [
        (0x00, SMSAlphabet.gsm7), (0x01, .ascii), (0x02, .octets), (0x03, .latin1), (0x04, .octets), (0x05, .octets),
        (0x08, .ucs2), (0x11, .gsm7), (0x15, .octets), (0x18, .ucs2), (0x1C, .gsm7), (0x30, .octets), (0x48, .ucs2),
        (0x90, .octets), (0xC8, .gsm7), (0xE0, .ucs2), (0xF0, .gsm7), (0xF4, .octets),
    ] as [(UInt8, SMSAlphabet)])
    func alphabetFromDataCoding(dataCoding: UInt8, alphabet: SMSAlphabet) {
        #expect(SMSAlphabet(dataCoding: dataCoding) == alphabet)
    }

    @Test func decodesEachAlphabet() {
        #expect(SMSAlphabet.gsm7.decode([0x48, 0x69, 0x1B, 0x65]) == "Hi€")
        #expect(SMSAlphabet.ascii.decode([0x48, 0x69, 0xE9]) == "Hi\u{FFFD}")
        #expect(SMSAlphabet.latin1.decode([0x63, 0xE7, 0xE9]) == "cçé")
        #expect(SMSAlphabet.ucs2.decode([0x00, 0xEA, 0xD8, 0x3D, 0xDE, 0x00]) == "ê😀")
        #expect(SMSAlphabet.ucs2.decode([0x00, 0x41, 0x00]) == "A\u{FFFD}")
        #expect(SMSAlphabet.ucs2.decode([0xD8, 0x3D]) == "\u{FFFD}")
        #expect(SMSAlphabet.octets.decode(Array("né".utf8)) == "né")
        #expect(SMSAlphabet.octets.decode([0x6E, 0xE9]) == "né")
        #expect(SMSAlphabet.ucs2.decode([]) == "")
    }

    @Test func partWithoutHeader() throws {
        let part = try SMSInboundPart(dataCoding: 0x00, esmClass: 0x00, shortMessage: GSM7.septets(for: "Hello [x]") ?? [])
        #expect(part.header == nil)
        #expect(part.concatenation == nil)
        #expect(part.text == "Hello [x]")
    }

    @Test func partWithEightBitConcatenation() throws {
        let part = try SMSInboundPart(dataCoding: 0x00, esmClass: 0x40, shortMessage: [0x05, 0x00, 0x03, 0x2A, 0x03, 0x02, 0x61, 0x62])
        #expect(part.concatenation == SMSConcatenation(reference: 0x2A, total: 3, sequence: 2))
        #expect(part.payload == [0x61, 0x62])
        #expect(part.text == "ab")
    }

    @Test func partWithSixteenBitConcatenationAfterAnotherElement() throws {
        // A national language single shift element (IEI 0x24) comes first.
        let shortMessage: [UInt8] = [0x09, 0x24, 0x01, 0x01, 0x08, 0x04, 0x12, 0x34, 0x02, 0x01, 0x00, 0x41]
        let part = try SMSInboundPart(dataCoding: 0x08, esmClass: 0x43, shortMessage: shortMessage)
        #expect(part.header?.elements.count == 2)
        let concatenation = try #require(part.concatenation)
        #expect(concatenation.reference == 0x1234)
        #expect(concatenation.hasSixteenBitReference)
        #expect(concatenation.total == 2)
        #expect(concatenation.sequence == 1)
        #expect(part.text == "A")
    }

    @Test func impossibleConcatenationIsIgnored() throws {
        for element in [[0x00, 0x03, 0x01, 0x02, 0x00], [0x00, 0x03, 0x01, 0x02, 0x03], [0x00, 0x03, 0x01, 0x00, 0x00], [0x00, 0x02, 0x01, 0x02]] as [[UInt8]] {
            let part = try SMSInboundPart(dataCoding: 0, esmClass: 0x40, shortMessage: [UInt8(element.count)] + element + [0x61])
            #expect(part.header != nil)
            #expect(part.concatenation == nil, "\(element)")
            #expect(part.text == "a")
        }
    }

    @Test func malformedHeadersThrow() {
        #expect(throws: SMSUserDataHeaderError.missingLength) {
            try SMSInboundPart(dataCoding: 0, esmClass: 0x40, shortMessage: [])
        }
        #expect(throws: SMSUserDataHeaderError.headerPastEnd(length: 5, available: 2)) {
            try SMSInboundPart(dataCoding: 0, esmClass: 0x40, shortMessage: [0x05, 0x00, 0x03])
        }
        #expect(throws: SMSUserDataHeaderError.elementPastEnd(identifier: 0x00)) {
            try SMSInboundPart(dataCoding: 0, esmClass: 0x40, shortMessage: [0x04, 0x00, 0x03, 0x01, 0x02, 0x61])
        }
        #expect(throws: SMSUserDataHeaderError.elementPastEnd(identifier: 0x08)) {
            try SMSInboundPart(dataCoding: 0, esmClass: 0x40, shortMessage: [0x01, 0x08])
        }
    }

    @Test func headerBytesRoundTrip() throws {
        let eightBit = SMSUserDataHeader(concatenation: SMSConcatenation(reference: 0xFE, total: 4, sequence: 3))
        #expect(eightBit.bytes == [0x05, 0x00, 0x03, 0xFE, 0x04, 0x03])
        let sixteenBit = SMSUserDataHeader(concatenation: SMSConcatenation(sixteenBitReference: 0xBEEF, total: 2, sequence: 2))
        #expect(sixteenBit.bytes == [0x06, 0x08, 0x04, 0xBE, 0xEF, 0x02, 0x02])
        let (header, rest) = try SMSUserDataHeader.split(sixteenBit.prepended(to: [0x68, 0x69]))
        #expect(header == sixteenBit)
        #expect(rest == [0x68, 0x69])
        #expect(SMSUserDataHeader(elements: []).bytes == [0x00])
    }

    @Test(arguments: [
        String(repeating: "Long GSM text with € and [brackets]. ", count: 12),
        String(repeating: "Emoji 😀 and 👍🏽 across parts. ", count: 9),
    ])
    func outboundPartsReassemble(body: String) throws {
        let message = SMSSegmentedMessage(body: body)
        #expect(message.numSegments > 2)
        let parts = try message.shortMessages(reference: 9).map {
            try SMSInboundPart(dataCoding: message.dataCoding, esmClass: message.esmClass, shortMessage: $0)
        }
        var assembler = ConcatenatedMessageAssembler()
        var results: [SMSAssembledMessage] = []
        for part in parts.reversed() {
            if let result = assembler.add(part, source: "+15550001", destination: "+15550002", at: start) { results.append(result) }
        }
        #expect(results == [SMSAssembledMessage(source: "+15550001", destination: "+15550002", text: body, segmentCount: message.numSegments)])
        #expect(assembler.pendingCount == 0)
    }

    // MARK: Assembler

    private func part(_ text: String, reference: UInt8 = 1, total: UInt8, sequence: UInt8) -> SMSInboundPart {
        let header = SMSUserDataHeader(concatenation: SMSConcatenation(reference: reference, total: total, sequence: sequence))
        return SMSInboundPart(alphabet: .gsm7, header: header, payload: GSM7.septets(for: text) ?? [])
    }

    @Test func messageWithoutConcatenationComesStraightBack() {
        var assembler = ConcatenatedMessageAssembler()
        let single = SMSInboundPart(alphabet: .latin1, payload: [0x68, 0xE9])
        #expect(assembler.add(single, source: "a", destination: "b", at: start)?.text == "hé")
        #expect(assembler.add(part("one", total: 1, sequence: 1), source: "a", destination: "b", at: start)?.segmentCount == 1)
        #expect(assembler.pendingCount == 0)
    }

    @Test func partsInAnyOrderWithDuplicates() {
        var assembler = ConcatenatedMessageAssembler()
        #expect(assembler.add(part("C", total: 3, sequence: 3), source: "a", destination: "b", at: start) == nil)
        #expect(assembler.add(part("A", total: 3, sequence: 1), source: "a", destination: "b", at: start) == nil)
        // A resent part, even with other content, changes nothing.
        #expect(assembler.add(part("X", total: 3, sequence: 1), source: "a", destination: "b", at: start) == nil)
        #expect(assembler.add(part("C", total: 3, sequence: 3), source: "a", destination: "b", at: start) == nil)
        #expect(assembler.pendingCount == 1)
        let message = assembler.add(part("B", total: 3, sequence: 2), source: "a", destination: "b", at: start)
        #expect(message == SMSAssembledMessage(source: "a", destination: "b", text: "ABC", segmentCount: 3))
        #expect(assembler.pendingCount == 0)
    }

    @Test func messagesAreKeptApartBySenderRecipientReferenceAndTotal() {
        var assembler = ConcatenatedMessageAssembler()
        #expect(assembler.add(part("1", reference: 5, total: 2, sequence: 1), source: "a", destination: "b", at: start) == nil)
        #expect(assembler.add(part("2", reference: 5, total: 2, sequence: 2), source: "c", destination: "b", at: start) == nil)
        #expect(assembler.add(part("3", reference: 5, total: 2, sequence: 2), source: "a", destination: "d", at: start) == nil)
        #expect(assembler.add(part("4", reference: 6, total: 2, sequence: 2), source: "a", destination: "b", at: start) == nil)
        #expect(assembler.add(part("5", reference: 5, total: 3, sequence: 2), source: "a", destination: "b", at: start) == nil)
        #expect(assembler.pendingCount == 5)
        #expect(assembler.add(part("6", reference: 5, total: 2, sequence: 2), source: "a", destination: "b", at: start)?.text == "16")
        #expect(assembler.pendingCount == 4)
    }

    @Test func incompleteMessagesExpire() {
        var assembler = ConcatenatedMessageAssembler(timeout: .seconds(300))
        _ = assembler.add(part("old ", reference: 1, total: 3, sequence: 1), source: "a", destination: "b", at: start)
        _ = assembler.add(part("end", reference: 1, total: 3, sequence: 3), source: "a", destination: "b", at: start + .seconds(200))
        _ = assembler.add(part("new", reference: 2, total: 2, sequence: 1), source: "a", destination: "b", at: start + .seconds(240))

        #expect(assembler.expire(at: start + .seconds(299)).isEmpty)
        let dropped = assembler.expire(at: start + .seconds(300))
        #expect(dropped.count == 1)
        #expect(dropped.first?.key == ConcatenatedMessageAssembler.Key(source: "a", destination: "b", reference: 1, total: 3))
        #expect(dropped.first?.firstReceived == start)
        #expect(dropped.first?.parts.map { $0.concatenation?.sequence } == [1, 3])
        #expect(dropped.first?.text == "old end")
        #expect(assembler.pendingCount == 1)

        // The missing part arriving late starts over rather than completing the dropped message.
        #expect(assembler.add(part("mid ", reference: 1, total: 3, sequence: 2), source: "a", destination: "b", at: start + .seconds(301)) == nil)
        #expect(assembler.expire(at: start + .seconds(10_000)).map(\.key.reference) == [2, 1])
        #expect(assembler.pendingCount == 0)
    }

    @Test func payloadsAreJoinedBeforeDecoding() {
        // A sender split the emoji's surrogate pair, and an escape sequence, across parts.
        var assembler = ConcatenatedMessageAssembler()
        let header = { (sequence: UInt8) in SMSUserDataHeader(concatenation: SMSConcatenation(reference: 3, total: 2, sequence: sequence)) }
        _ = assembler.add(SMSInboundPart(alphabet: .ucs2, header: header(1), payload: [0x00, 0x41, 0xD8, 0x3D]), source: "a", destination: "b", at: start)
        let emoji = assembler.add(SMSInboundPart(alphabet: .ucs2, header: header(2), payload: [0xDE, 0x00]), source: "a", destination: "b", at: start)
        #expect(emoji?.text == "A😀")

        _ = assembler.add(SMSInboundPart(alphabet: .gsm7, header: header(1), payload: [0x61, 0x1B]), source: "a", destination: "b", at: start)
        let euro = assembler.add(SMSInboundPart(alphabet: .gsm7, header: header(2), payload: [0x65]), source: "a", destination: "b", at: start)
        #expect(euro?.text == "a€")
    }

    @Test func partsInDifferentAlphabetsAreDecodedOneByOne() {
        var assembler = ConcatenatedMessageAssembler()
        let header = { (sequence: UInt8) in SMSUserDataHeader(concatenation: SMSConcatenation(reference: 4, total: 2, sequence: sequence)) }
        _ = assembler.add(SMSInboundPart(alphabet: .ucs2, header: header(2), payload: [0x00, 0xEA]), source: "a", destination: "b", at: start)
        let message = assembler.add(SMSInboundPart(alphabet: .gsm7, header: header(1), payload: [0x1B, 0x65]), source: "a", destination: "b", at: start)
        #expect(message?.text == "€ê")
    }
}
