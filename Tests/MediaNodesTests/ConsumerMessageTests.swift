import Testing

@testable import MediaNodes

@Suite struct ConsumerMessageTests {
    static let stream = "MZ00112233445566778899aabbccddeeff"

    private func parse(_ json: String) -> ConsumerMessage {
        ConsumerMessage.parse(Array(json.utf8), streamSid: Self.stream)
    }

    @Test func media() {
        #expect(parse(#"{"event":"media","streamSid":"\#(Self.stream)","media":{"payload":"/wB/gA=="}}"#) == .media(muLaw: [0xFF, 0x00, 0x7F, 0x80]))
    }

    @Test func mark() {
        #expect(parse(#"{"event":"mark","streamSid":"\#(Self.stream)","mark":{"name":"greeting done"}}"#) == .mark(name: "greeting done"))
    }

    @Test func clear() {
        #expect(parse(#"{"event":"clear","streamSid":"\#(Self.stream)"}"#) == .clear)
    }

    @Test(arguments: [
        (#"{"event":"dtmf","streamSid":"\#(stream)"}"#, #"unknown event "dtmf""#),
        (#"{"streamSid":"\#(stream)"}"#, "no event"),
        (#"{"event":7}"#, "no event"),
        (#"{"event":"clear"}"#, "clear without a streamSid"),
        (#"{"event":"clear","streamSid":"MZffffffffffffffffffffffffffffffff"}"#, #"clear for another stream "MZffffffffffffffffffffffffffffffff""#),
        (#"{"event":"media","streamSid":"\#(stream)","media":{"payload":"not base64!"}}"#, "media payload is not base64"),
        (#"{"event":"media","streamSid":"\#(stream)","media":{}}"#, "media without a payload"),
        (#"{"event":"media","streamSid":"\#(stream)"}"#, "media without a payload"),
        (#"{"event":"mark","streamSid":"\#(stream)","mark":{"name":3}}"#, "mark without a name"),
        (#"{"event":"clear","#, "not a JSON object"),
        (#"["clear"]"#, "not a JSON object"),
        ("", "not a JSON object"),
    ])
    func anythingElseIsIgnoredWithAReason(json: String, reason: String) {
        #expect(parse(json) == .ignored(reason: reason))
    }
}
