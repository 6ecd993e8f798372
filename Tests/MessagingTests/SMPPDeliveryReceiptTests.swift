import Testing

@testable import Messaging

/// Delivery receipts as SMSCs write them (Appendix B text and its variants, and the TLVs), the mapping of
/// their states to message statuses, and message id comparison.
@Suite struct SMPPDeliveryReceiptTests {
    @Test func parsesTheAppendixBFormat() throws {
        let receipt = try #require(SMPPDeliveryReceipt(
            text: "id:0123456789 sub:001 dlvrd:001 submit date:2401151230 done date:2401151231 stat:DELIVRD err:000 text:Hello world"
        ))
        #expect(receipt.messageID == "0123456789")
        #expect(receipt.state == .delivered)
        #expect(receipt.finalStatus == .delivered)
        #expect(receipt.errorCode == "000")
        #expect(receipt.submittedCount == 1 && receipt.deliveredCount == 1)
        #expect(receipt.submitDate == SMPPReceiptDate(digits: "2401151230"))
        #expect(receipt.submitDate.map { [$0.year, $0.month, $0.day, $0.hour, $0.minute, $0.second] } == [2024, 1, 15, 12, 30, 0])
        #expect(receipt.doneDate?.minute == 31)
        #expect(receipt.text == "Hello world")
    }

    @Test func parsesHexIDsTwelveDigitDatesAndEmptyText() throws {
        // Kannel-style receipt of a failed message.
        let receipt = try #require(SMPPDeliveryReceipt(
            text: "id:1A2B3C4D sub:001 dlvrd:000 submit date:240115123045 done date:240115123512 stat:UNDELIV err:001 text:"
        ))
        #expect(receipt.messageID == "1A2B3C4D")
        #expect(receipt.finalStatus == .undelivered)
        #expect(receipt.errorCode == "001")
        #expect(receipt.deliveredCount == 0)
        #expect(receipt.doneDate.map { [$0.hour, $0.minute, $0.second] } == [12, 35, 12])
        #expect(receipt.text == "")
    }

    @Test func keysAreCaseInsensitiveAndMaySpellDatesWithUnderscores() throws {
        let upper = try #require(SMPPDeliveryReceipt(
            text: "ID:4294967295 SUB:001 DLVRD:001 SUBMIT DATE:2312312359 DONE DATE:2401010000 STAT:delivrd ERR:000 TEXT:Happy new year"
        ))
        #expect(upper.messageID == "4294967295")
        #expect(upper.state == .delivered)
        #expect(upper.submitDate.map { [$0.year, $0.month, $0.day] } == [2023, 12, 31])
        #expect(upper.text == "Happy new year")

        let underscored = try #require(SMPPDeliveryReceipt(text: "id:7 submit_date:2401011200 done_date:2401011201 stat:EXPIRED err:0B2"))
        #expect(underscored.state == .expired)
        #expect(underscored.finalStatus == .undelivered)
        #expect(underscored.doneDate?.minute == 1)
        #expect(underscored.errorCode == "0B2")
        #expect(underscored.text == nil)
    }

    @Test func missingFieldsAreNilAndTheIDMayBeAnyToken() throws {
        let receipt = try #require(SMPPDeliveryReceipt(text: "id:c0ffee-77a1-4e0b stat:REJECTD"))
        #expect(receipt.messageID == "c0ffee-77a1-4e0b")
        #expect(receipt.finalStatus == .failed)
        #expect(receipt.errorCode == nil && receipt.submittedCount == nil && receipt.submitDate == nil)
    }

    @Test func theEchoedTextCannotOverrideTheFields() throws {
        let receipt = try #require(SMPPDeliveryReceipt(
            text: "id:1 sub:001 dlvrd:000 submit date:2401011200 done date:2401011201 stat:UNDELIV err:001 text:stat:DELIVRD id:9"
        ))
        #expect(receipt.messageID == "1")
        #expect(receipt.state == .undeliverable)
        #expect(receipt.text == "stat:DELIVRD id:9")
    }

    @Test func anEmptyValueBeforeTheNextKeyStaysEmpty() throws {
        let receipt = try #require(SMPPDeliveryReceipt(text: "id:55 stat:DELIVRD err: text:hi"))
        #expect(receipt.errorCode == nil)
        #expect(receipt.text == "hi")
    }

    @Test func unrecognisedStatsCountAsUnknownButTextWithoutIDOrStatIsNoReceipt() throws {
        #expect(SMPPDeliveryReceipt(text: "id:5 stat:FAILED")?.state == .unknown)
        #expect(SMPPDeliveryReceipt(text: "id:5 stat:FAILED")?.finalStatus == .undelivered)
        #expect(SMPPDeliveryReceipt(text: "Hello, are you there?") == nil)
        #expect(SMPPDeliveryReceipt(text: "stat:DELIVRD err:000") == nil)
        #expect(SMPPDeliveryReceipt(text: "id: stat:DELIVRD") == nil)
        #expect(SMPPDeliveryReceipt(text: "id:12 err:000") == nil)
        // "valid:" is not "id:": keys start words.
        #expect(SMPPDeliveryReceipt(text: "valid:3 stat:DELIVRD") == nil)
    }

    private static let stateMappings: [(String, SMPPDeliveryReceipt.FinalStatus?)] = [
        ("DELIVRD", .delivered), ("DELIVERED", .delivered), ("UNDELIV", .undelivered), ("EXPIRED", .undelivered),
        ("DELETED", .undelivered), ("UNKNOWN", .undelivered), ("REJECTD", .failed), ("ENROUTE", nil), ("ACCEPTD", nil),
    ]

    @Test(arguments: SMPPDeliveryReceiptTests.stateMappings)
    func statesMapToMessageStatuses(stat: String, expected: SMPPDeliveryReceipt.FinalStatus?) throws {
        let receipt = try #require(SMPPDeliveryReceipt(text: "id:1 stat:\(stat)"))
        #expect(receipt.finalStatus == expected)
        #expect(SMPPMessageState(statText: receipt.state.statText) == receipt.state)
    }

    @Test func tlvsAloneMakeAReceiptAndWinOverText() throws {
        let tlvOnly = SMPPShortMessage(esmClass: 0x04, tlvs: [
            SMPPTLV(tag: .receiptedMessageID, value: Array("5F3A".utf8) + [0]),
            SMPPTLV(tag: .messageState, value: [SMPPMessageState.undeliverable.rawValue]),
            SMPPTLV(tag: .networkErrorCode, value: [3, 0x00, 0x01]),
        ])
        let receipt = try #require(SMPPDeliveryReceipt(deliverSM: tlvOnly))
        #expect(receipt == SMPPDeliveryReceipt(
            messageID: "5F3A", state: .undeliverable, networkError: SMPPNetworkErrorCode(networkType: 3, errorCode: 1)
        ))

        var both = tlvOnly
        both.shortMessage = Array("id:0000024378 sub:001 dlvrd:001 submit date:2401011200 done date:2401011201 stat:DELIVRD err:000 text:".utf8)
        let merged = try #require(SMPPDeliveryReceipt(deliverSM: both))
        #expect(merged.messageID == "5F3A")
        #expect(merged.state == .undeliverable)
        #expect(merged.errorCode == "000")
        #expect(merged.submittedCount == 1)
    }

    @Test func readsReceiptTextFromMessagePayloadAndUCS2() throws {
        let payload = SMPPShortMessage(esmClass: 0x04, tlvs: [.messagePayload(Array("id:77 stat:ACCEPTD".utf8))])
        #expect(SMPPDeliveryReceipt(deliverSM: payload)?.state == .accepted)

        let text = "id:ab12 stat:DELIVRD"
        let ucs2 = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let receipt = try #require(SMPPDeliveryReceipt(deliverSM: SMPPShortMessage(esmClass: 0x04, dataCoding: 0x08, shortMessage: ucs2)))
        #expect(receipt.messageID == "ab12" && receipt.state == .delivered)
    }

    @Test func datesOutsideTheirRangesOrOfOtherLengthsAreRefused() {
        #expect(SMPPReceiptDate(digits: "2413011230") == nil)
        #expect(SMPPReceiptDate(digits: "2401001230") == nil)
        #expect(SMPPReceiptDate(digits: "2401012460") == nil)
        #expect(SMPPReceiptDate(digits: "24010112") == nil)
        #expect(SMPPReceiptDate(digits: "24010112300") == nil)
        #expect(SMPPReceiptDate(digits: "24O1011230") == nil)
        #expect(SMPPReceiptDate(digits: "240101123060") == nil)
        #expect(SMPPReceiptDate(digits: "240229235959")?.second == 59)
    }

    @Test func messageIDsMatchAcrossHexDecimalCaseAndPadding() {
        #expect(SMPPMessageID.normalized("000ABC") == "abc")
        #expect(SMPPMessageID.normalized(" 0000 ") == "0")
        #expect(SMPPMessageID.equivalents("0A1B") == ["a1b", "2587"])
        #expect(SMPPMessageID.equivalents("00012") == ["12", "c", "18"])
        #expect(SMPPMessageID.equivalents("msg-1") == ["msg-1"])
        #expect(SMPPMessageID.matches("0A1B", "2587"))
        #expect(SMPPMessageID.matches("0000024378", "5F3A"))
        #expect(SMPPMessageID.matches("5f3a", "5F3A"))
        #expect(!SMPPMessageID.matches("5F3A", "5F3B"))
        #expect(!SMPPMessageID.matches("msg-1", "msg-2"))
        // Beyond 64 bits only the spelling counts.
        #expect(SMPPMessageID.matches("FFFFFFFFFFFFFFFFFF", "ffffffffffffffffff"))
        #expect(SMPPMessageID.equivalents("FFFFFFFFFFFFFFFFFF") == ["ffffffffffffffffff"])
    }
}
