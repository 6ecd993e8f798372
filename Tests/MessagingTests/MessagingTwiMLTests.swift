import Testing

@testable import Messaging

struct MessagingTwiMLTests {
    @Test func readsMessagesAndARedirectInOrder() throws {
        let document = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- an answer -->
            <Response>
              <Message>Thanks &amp; see you &lt;soon&gt; &#x1F600;</Message>
              <Message to="+15005550006" from='+16465550100' statusCallback="https://example.com/s">
                <Body>Second</Body><Media>https://example.com/a.png</Media>
              </Message>
              <Message><![CDATA[<raw> & text]]></Message>
              <Redirect method="GET">/next</Redirect>
            </Response>
            """
        let verbs = try MessagingTwiML.parse(document)
        #expect(verbs == [
            .message(.init(to: nil, from: nil, body: "Thanks & see you <soon> 😀", media: [], statusCallback: nil, method: nil)),
            .message(.init(
                to: "+15005550006", from: "+16465550100", body: "Second", media: ["https://example.com/a.png"],
                statusCallback: "https://example.com/s", method: nil)),
            .message(.init(to: nil, from: nil, body: "<raw> & text", media: [], statusCallback: nil, method: nil)),
            .redirect(url: "/next", method: "GET"),
        ])
    }

    @Test func emptyDocumentsAndEmptyResponsesHaveNoVerbs() throws {
        #expect(try MessagingTwiML.parse("") == [])
        #expect(try MessagingTwiML.parse("  \n") == [])
        #expect(try MessagingTwiML.parse("<Response/>") == [])
        #expect(try MessagingTwiML.parse("<?xml version=\"1.0\"?><Response></Response>") == [])
    }

    @Test(arguments: [
        "ok", "<Response><Message>Hi</Response>", "<Response><Message>Hi</Message>", "<Response a=b/>",
        "<Response><Message>&bogus;</Message></Response>", "<Response/><Response/>", "<Reply/>",
        "<Response><Say>Hello</Say></Response>", "<Response><Redirect> </Redirect></Response>",
    ])
    func refusesWhatIsNotMessagingTwiML(_ document: String) {
        #expect(throws: TwiMLError.self) { try MessagingTwiML.parse(document) }
    }

    @Test(arguments: [
        ("https://other.example/x", "https://a.example/hooks/sms?x=1", "https://other.example/x"),
        ("/next", "https://a.example/hooks/sms?x=1", "https://a.example/next"),
        ("next", "https://a.example/hooks/sms?x=1", "https://a.example/hooks/next"),
        ("next", "https://a.example", "https://a.example/next"),
    ])
    func redirectsResolveAgainstTheURLThatAnswered(_ target: String, _ base: String, _ resolved: String) {
        #expect(InboundRouter.resolve(target, against: base) == resolved)
    }
}
