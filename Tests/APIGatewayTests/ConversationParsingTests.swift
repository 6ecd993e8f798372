@testable import APIGateway
import Foundation
@testable import Messaging
import Platform
import Testing

/// The pure parts of the Conversations API: timer durations, attributes, chat frames, the delivery summary.
@Suite struct ConversationParsingTests {
    @Test(arguments: [
        ("PT1M", 60), ("PT10M", 600), ("P1D", 86_400), ("P1DT2H3M4S", 93_784), ("P2W", 1_209_600), ("pt30s", 30), ("PT0S", 0),
    ])
    func durationsAreReadAsTwilioWritesThem(text: String, seconds: Int) {
        #expect(ISODuration.seconds(text) == seconds)
    }

    @Test(arguments: ["", "P", "PT", "1M", "PT1", "P1H", "PT1D", "P1.5D", "PT-1M", "P1DT", "PTT1M", "P99999999999999W"])
    func malformedDurationsAreRefused(text: String) {
        #expect(ISODuration.seconds(text) == nil)
    }

    @Test func timersBelowTwiliosMinimumsAreRefused() throws {
        #expect(throws: APIError.self) { try ConversationsController.fields(FormParameters([("Timers.Inactive", "PT30S")])) }
        #expect(throws: APIError.self) { try ConversationsController.fields(FormParameters([("Timers.Closed", "PT5M")])) }
        let fields = try ConversationsController.fields(FormParameters([("Timers.Inactive", "PT1M"), ("Timers.Closed", "PT10M")]))
        #expect(fields.timers == ConversationTimers(inactiveAfter: 60, closedAfter: 600))
    }

    @Test func attributesMustBeJSONOfAtMost16KB() throws {
        #expect(try ConversationParameters.attributes(FormParameters([("Attributes", #"{"vip": true}"#)])) == #"{"vip": true}"#)
        #expect(try ConversationParameters.attributes(FormParameters([("Attributes", "42")])) == "42")
        #expect(throws: APIError.self) { try ConversationParameters.attributes(FormParameters([("Attributes", "{vip}")])) }
        let big = #"{"a": ""# + String(repeating: "x", count: 16 * 1024) + #""}"#
        #expect(throws: APIError.self) { try ConversationParameters.attributes(FormParameters([("Attributes", big)])) }
        #expect(try ConversationParameters.attributes(FormParameters()) == nil)
    }

    @Test func chatFramesCarryTheirRequestIDBack() throws {
        let request = try #require(ChatFrames.parse(#"{"type": "send", "id": 7, "conversation": "CH1", "body": "hi", "after": 3}"#))
        #expect(request.type == "send" && request.string("body") == "hi" && request.integer("after") == 3)
        let answer = ChatFrames.error(20404, "nope", id: request.id)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])
        #expect(object["id"] as? Int == 7 && object["code"] as? Int == 20404 && object["type"] as? String == "error")
        #expect(ChatFrames.parse("[1]") == nil && ChatFrames.parse(#"{"id": 1}"#) == nil && ChatFrames.parse("not json") == nil)
    }

    @Test func theDeliverySummarySaysAllSomeOrNone() {
        let summary = DeliverySummary(total: 3, counts: ["delivered": 3])
        #expect(summary.share("delivered") == "all" && summary.share("failed") == "none")
        #expect(DeliverySummary(total: 3, counts: ["delivered": 2, "failed": 1]).share("delivered") == "some")
    }
}

/// How conversations' news travels between gateway processes.
@Suite struct ConversationFanoutTests {
    @Test func newsLinesAreGroupedIntoPayloadsUnderPostgreSQLsLimit() {
        let lines = (0..<400).map { "ma CH\(String(repeating: "0", count: 32)) IM\(String(format: "%032d", $0))" }
        let payloads = ConversationFanout.payloads(origin: "RQorigin", lines: lines)
        #expect(payloads.count > 1)
        #expect(payloads.allSatisfy { $0.utf8.count <= ConversationFanout.maximumPayload && $0.hasPrefix("RQorigin\n") })
        #expect(payloads.flatMap { $0.split(separator: "\n").dropFirst().map(String.init) } == lines)
        #expect(ConversationFanout.payloads(origin: "RQorigin", lines: []) == [])
    }

    @Test func typingKeepsAnyIdentityIntact() throws {
        let conversation = SID.generate(.conversation)
        let line = ConversationFanout.line(.typing(conversation: conversation, identity: "Zoë O'Hara\nx y"))
        let fields = line.split(separator: " ")
        #expect(fields.count == 3 && fields[0] == "ty" && fields[1] == Substring(conversation.rawValue))
        #expect(String(fields[2]).removingPercentEncoding == "Zoë O'Hara\nx y")
    }
}
