import Platform
import Testing

@Suite struct TwilioSignatureTests {
    static let token = "12345"
    static let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    static let callParameters = [
        ("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"),
        ("From", "+14158675309"), ("To", "+18005551212"),
    ]

    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var url: String
        var parameters: [(String, String)]
        var signature: String
        var testDescription: String { name }
    }

    /// Produced by twilio-python 9.13.0's `RequestValidator("12345").compute_signature(url, params)`,
    /// with params a Flask-style multi-dict (iteration yields names, `getall` every value) holding these
    /// pairs in this order.
    static let sdkVectors = [
        Vector(
            name: "unicode values", url: "https://example.com/sms",
            parameters: [
                ("Body", "h\u{E9}llo \u{2713} \u{1F44B} \u{65E5}\u{672C}"), ("From", "+15551234567"),
                ("To", "+15557654321"),
            ],
            signature: "/ik3SiGohbKx08aP/w0mB+xacqY="),
        Vector(
            name: "empty values", url: "https://example.com/status",
            parameters: [("ErrorCode", ""), ("Body", ""), ("MessageStatus", "delivered")],
            signature: "2P9x9R1frr/gZsIZQk1C8aQb2EQ="),
        Vector(
            name: "names that prefix others", url: "https://example.com/cb",
            parameters: [("SidAccount", "AC1"), ("S", "x"), ("Sid", "CA1"), ("Si", "y"), ("Sid2", "z")],
            signature: "+seAjS6o8/UGTdQOO18dU3r6PtY="),
        Vector(
            name: "upper case sorts before lower case", url: "https://example.com/cb",
            parameters: [("to", "lower"), ("To", "Upper"), ("a", "1"), ("B", "2"), ("_", "3")],
            signature: "xgbJTyJJMjEx6xY9bf4+VqQtARw="),
        Vector(
            name: "repeated names, duplicate and empty values", url: "https://example.com/cb?x=1",
            parameters: [
                ("MediaUrl", "https://b.example/2"), ("MediaUrl", "https://a.example/1"),
                ("MediaUrl", "https://b.example/2"), ("Z", ""), ("MediaUrl", ""),
            ],
            signature: "xi+oAFAn1EB82/MU/TeU8WpJs6I="),
        // Precomposed and decomposed é are distinct values; U+FF21 sorts before U+1F600 (code point
        // order, not UTF-16's); "Ä" sorts after "Z".
        Vector(
            name: "canonically equivalent values, astral plane, non-ASCII name", url: "https://example.com/cb",
            parameters: [
                ("V", "\u{E9}"), ("V", "e\u{301}"), ("V", "\u{FF21}"), ("V", "\u{1F600}"), ("\u{C4}", "1"), ("Z", "2"),
            ],
            signature: "CxXfo1onI+Nmui+4eo2qDPTEc9E="),
        Vector(
            name: "GET: parameters in the URL", url: "https://example.com/cb?CallSid=CA1&CallStatus=ringing",
            parameters: [], signature: "+sPwG6n7or57tzZ0ys9A+8z/dTs="),
    ]

    // The three vectors of the SDK's own tests (tests/unit/test_request_validator.py).

    @Test func sdkFormVector() {
        let signature = TwilioSignature.sign(url: Self.url, formParameters: Self.callParameters, authToken: Self.token)
        #expect(signature == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    }

    @Test func sdkJSONVector() {
        let body = Array(#"{"property": "value", "boolean": true}"#.utf8)
        let (signedURL, signature) = TwilioSignature.sign(url: Self.url, jsonBody: body, authToken: Self.token)
        #expect(signedURL == Self.url + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620")
        #expect(signature == "a9nBmqA0ju/hNViExpshrM61xv4=")
        #expect(TwilioSignature.isValid(signature: signature, url: signedURL, jsonBody: body, authToken: Self.token))
    }

    @Test func sdkMultiDictVector() {
        let parameters = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234"), ("Digits", "1234")]
        let signature = TwilioSignature.sign(url: Self.url, formParameters: parameters, authToken: Self.token)
        #expect(signature == "IK+Dwps556ElfBT0I3Rgjkr1wJU=")
    }

    @Test(arguments: sdkVectors)
    func matchesTwilioPython(_ vector: Vector) {
        #expect(TwilioSignature.sign(url: vector.url, formParameters: vector.parameters, authToken: Self.token) == vector.signature)
    }

    /// Also from twilio-python 9.13.0: `compute_hash(body)`, then `compute_signature(url, {})` of the URL
    /// with `?bodySHA256=` (the URL had no query), which `validate(url, body, signature)` accepted.
    @Test func jsonBodyOnURLWithoutQuery() {
        let body = Array(#"{"event":"message.added","text":"\#u{FC}n\#u{EF} \#u{2713}"}"#.utf8)
        let (signedURL, signature) = TwilioSignature.sign(url: "https://example.com/hook", jsonBody: body, authToken: Self.token)
        #expect(signedURL == "https://example.com/hook?bodySHA256=5a24dcea5ec23ee5d7aefdee43e5a6423e05876917cc00cb96321b72c76fc73c")
        #expect(signature == "MAyLyyQT2b1N56Pr4Ga5ehje1sw=")
    }

    @Test func parameterOrderDoesNotMatter() {
        let expected = "IK+Dwps556ElfBT0I3Rgjkr1wJU="
        let parameters = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234"), ("Digits", "1234")]
        let permutations = [parameters.reversed(), parameters.shuffled(), parameters.shuffled(), parameters.sorted { $0.1 < $1.1 }]
        for permutation in permutations {
            #expect(TwilioSignature.sign(url: Self.url, formParameters: permutation, authToken: Self.token) == expected)
        }
        #expect(
            TwilioSignature.sign(url: Self.url, formParameters: Self.callParameters.shuffled(), authToken: Self.token)
                == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    }

    @Test func tamperedFormRequestsFail() {
        let signature = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        func valid(
            url: String = Self.url, _ parameters: [(String, String)] = Self.callParameters,
            token: String = Self.token, signature: String = signature
        ) -> Bool {
            TwilioSignature.isValid(signature: signature, url: url, formParameters: parameters, authToken: token)
        }
        #expect(valid())
        var changedValue = Self.callParameters
        changedValue[2].1 = "1235"
        #expect(!valid(changedValue))
        var renamed = Self.callParameters
        renamed[2].0 = "digits"
        #expect(!valid(renamed))
        #expect(!valid(Array(Self.callParameters.dropLast())))
        #expect(!valid(Self.callParameters + [("Extra", "")]))
        #expect(!valid(url: "https://mycompany.com/myapp.php?foo=1&bar=3"))
        #expect(!valid(url: "https://mycompany.com:443/myapp.php?foo=1&bar=2"))
        #expect(!valid(token: "12346"))
        #expect(!valid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8"))
        #expect(!valid(signature: ""))
    }

    @Test func tamperedJSONRequestsFail() {
        let body = Array(#"{"property": "value", "boolean": true}"#.utf8)
        let (signedURL, signature) = TwilioSignature.sign(url: Self.url, jsonBody: body, authToken: Self.token)
        #expect(!TwilioSignature.isValid(signature: signature, url: signedURL, jsonBody: body + [0x20], authToken: Self.token))
        #expect(!TwilioSignature.isValid(signature: signature, url: Self.url, jsonBody: body, authToken: Self.token))
        #expect(!TwilioSignature.isValid(signature: signature, url: signedURL, jsonBody: body, authToken: "54321"))
        // A URL naming another body's hash, correctly signed, still fails: the hash must be this body's.
        let other = TwilioSignature.sign(url: Self.url, jsonBody: Array("{}".utf8), authToken: Self.token)
        #expect(!TwilioSignature.isValid(signature: other.signature, url: other.signedURL, jsonBody: body, authToken: Self.token))
    }
}
