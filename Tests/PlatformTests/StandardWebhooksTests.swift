import Foundation
import Platform
import Testing

@Suite struct StandardWebhooksTests {
    /// The `sign` vector every official library tests (standard-webhooks/standard-webhooks, libraries/*).
    static let officialSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let officialID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let officialTimestamp = 1_614_265_330
    static let officialBody = Array(#"{"test": 2432232314}"#.utf8)
    static let officialSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    static func value(_ name: String, in headers: [(String, String)]) -> String? {
        headers.first { $0.0 == name }?.1
    }

    static func officialHeaders(secrets: [WebhookSecret]) -> [(String, String)] {
        StandardWebhooks.headers(id: officialID, timestamp: officialTimestamp, body: officialBody, secrets: secrets)
    }

    @Test func officialVector() throws {
        let secret = try WebhookSecret(parsing: Self.officialSecret)
        let headers = Self.officialHeaders(secrets: [secret])
        #expect(headers.map(\.0) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(Self.value("webhook-id", in: headers) == Self.officialID)
        #expect(Self.value("webhook-timestamp", in: headers) == "1614265330")
        #expect(Self.value("webhook-signature", in: headers) == Self.officialSignature)
        try StandardWebhooks.verify(headers: headers, body: Self.officialBody, secret: secret, now: Self.officialTimestamp)
    }

    /// Produced by `StandardWebhooks.headers` with two `WebhookSecret.generate()` secrets, then accepted,
    /// with each secret, by the official Python library (standardwebhooks 1.1.0):
    /// `Webhook(secret).verify(body, headers)` returned the parsed body; the body plus a space raised
    /// `WebhookVerificationError`.
    @Test func vectorVerifiedByThePythonLibrary() throws {
        let secrets = try [
            "whsec_W5VgGUwtGSDOEHRlfBFE/Gw/vgshSaW/1L7kiFSWv+M=", "whsec_TJ90hZFEniOobDCAvaGvlE/Df5gLeexzbaY0UtFmUvk=",
        ].map { try WebhookSecret(parsing: $0) }
        let body = Array(#"{"type":"message.status","data":{"sid":"SM123","text":"h\#u{E9}llo \#u{2713}"}}"#.utf8)
        let headers = StandardWebhooks.headers(
            id: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", timestamp: 1_795_292_039, body: body, secrets: secrets)
        #expect(
            Self.value("webhook-signature", in: headers)
                == "v1,HYrH+783d2lJSSwFjQeG2gMsTTcKQ/DDZppF7VEumLQ= v1,Y+0iHhMF5w94E52Ea7TjTO9rzd50JSD6xiEM6EYeT6g=")
        for secret in secrets {
            try StandardWebhooks.verify(headers: headers, body: body, secret: secret, now: 1_795_292_039)
        }
    }

    @Test func oneSignaturePerSecretAndEachVerifies() throws {
        let old = WebhookSecret.generate(), new = WebhookSecret.generate()
        let headers = Self.officialHeaders(secrets: [old, new])
        let signatures = try #require(Self.value("webhook-signature", in: headers)).split(separator: " ")
        #expect(signatures.count == 2)
        #expect(signatures.allSatisfy { $0.hasPrefix("v1,") && $0.count == 3 + 44 })
        for secret in [old, new] {
            try StandardWebhooks.verify(headers: headers, body: Self.officialBody, secret: secret, now: Self.officialTimestamp)
        }
        #expect(throws: StandardWebhooksError.noMatchingSignature) {
            try StandardWebhooks.verify(
                headers: headers, body: Self.officialBody, secret: .generate(), now: Self.officialTimestamp)
        }
    }

    @Test func anyMatchingV1SignatureAmongOthersIsAccepted() throws {
        let secret = try WebhookSecret(parsing: Self.officialSecret)
        let listed = [
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw", "v1,not base64!", "garbage", Self.officialSignature,
        ]
        var headers = Self.officialHeaders(secrets: [secret])
        headers[2].1 = listed.joined(separator: " ")
        try StandardWebhooks.verify(headers: headers, body: Self.officialBody, secret: secret, now: Self.officialTimestamp)
        // The same list without the valid entry; the right bytes under another version do not count.
        headers[2].1 = listed.dropLast().joined(separator: " ")
        #expect(throws: StandardWebhooksError.noMatchingSignature) {
            try StandardWebhooks.verify(headers: headers, body: Self.officialBody, secret: secret, now: Self.officialTimestamp)
        }
    }

    @Test func timestampTolerance() throws {
        let secret = try WebhookSecret(parsing: Self.officialSecret)
        let headers = Self.officialHeaders(secrets: [secret])
        func verify(now: Int, tolerance: Duration = .seconds(300)) throws(StandardWebhooksError) {
            try StandardWebhooks.verify(headers: headers, body: Self.officialBody, secret: secret, now: now, tolerance: tolerance)
        }
        let sent = Self.officialTimestamp
        try verify(now: sent + 300)
        try verify(now: sent - 300)
        #expect(throws: StandardWebhooksError.timestampTooOld) { try verify(now: sent + 301) }
        #expect(throws: StandardWebhooksError.timestampTooNew) { try verify(now: sent - 301) }
        try verify(now: sent + 3600, tolerance: .seconds(3600))
        #expect(throws: StandardWebhooksError.timestampTooOld) { try verify(now: sent + 1, tolerance: .zero) }
    }

    @Test func tamperedDeliveriesFail() throws {
        let secret = try WebhookSecret(parsing: Self.officialSecret)
        let headers = Self.officialHeaders(secrets: [secret])
        func verify(_ headers: [(String, String)], body: [UInt8] = Self.officialBody) throws(StandardWebhooksError) {
            try StandardWebhooks.verify(headers: headers, body: body, secret: secret, now: Self.officialTimestamp)
        }
        #expect(throws: StandardWebhooksError.noMatchingSignature) { try verify(headers, body: Self.officialBody + [0x20]) }
        #expect(throws: StandardWebhooksError.noMatchingSignature) { try verify(headers, body: []) }
        var otherID = headers
        otherID[0].1 = "msg_p5jXN8AQM9LWM0D4loKWxJel"
        #expect(throws: StandardWebhooksError.noMatchingSignature) { try verify(otherID) }
        var otherTimestamp = headers
        otherTimestamp[1].1 = String(Self.officialTimestamp + 1)
        #expect(throws: StandardWebhooksError.noMatchingSignature) { try verify(otherTimestamp) }
    }

    @Test func missingOrMalformedHeadersFail() throws {
        let secret = try WebhookSecret(parsing: Self.officialSecret)
        let headers = Self.officialHeaders(secrets: [secret])
        func verify(_ headers: [(String, String)]) throws(StandardWebhooksError) {
            try StandardWebhooks.verify(headers: headers, body: Self.officialBody, secret: secret, now: Self.officialTimestamp)
        }
        for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
            #expect(throws: StandardWebhooksError.missingHeader(name)) { try verify(headers.filter { $0.0 != name }) }
            #expect(throws: StandardWebhooksError.missingHeader(name)) {
                try verify(headers.map { $0.0 == name ? ($0.0, "") : $0 })
            }
        }
        var badTimestamp = headers
        badTimestamp[1].1 = "hello"
        #expect(throws: StandardWebhooksError.invalidTimestamp("hello")) { try verify(badTimestamp) }
        // Header names are case-insensitive.
        try verify(headers.map { ($0.0.uppercased(), $0.1) })
    }

    @Test func generatedSecretsAreRandom32ByteWhsecStrings() throws {
        let secrets = (0..<100).map { _ in WebhookSecret.generate().serialized }
        #expect(Set(secrets).count == 100)
        for serialized in secrets {
            #expect(serialized.hasPrefix("whsec_"))
            #expect(Data(base64Encoded: String(serialized.dropFirst(6)))?.count == 32)
            #expect(try WebhookSecret(parsing: serialized).serialized == serialized)
        }
    }

    @Test func parsingAcceptsNoPrefixAndNoPadding() throws {
        #expect(try WebhookSecret(parsing: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").serialized == Self.officialSecret)
        let padded = WebhookSecret.generate().serialized
        #expect(padded.hasSuffix("="))
        #expect(try WebhookSecret(parsing: String(padded.dropLast())).serialized == padded)
        #expect(try WebhookSecret(parsing: String(padded.dropFirst(6).dropLast())).serialized == padded)
    }

    @Test func parsingRejectsEmptyAndInvalidSecrets() {
        for text in ["", "whsec_"] {
            #expect(throws: WebhookSecretError.empty, "\(text)") { try WebhookSecret(parsing: text) }
        }
        let invalid = [
            "not base64!", "whsec_abc$", "whsec_a", "whsec_====", "whsec_AB=C", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS=",
            "whsec_ MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsek_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        ]
        for text in invalid {
            #expect(throws: WebhookSecretError.invalidBase64, "\(text)") { try WebhookSecret(parsing: text) }
        }
    }

    @Test func secretIsRedactedWhenPrinted() throws {
        let secret = try WebhookSecret(parsing: Self.officialSecret)
        var dumped = ""
        dump(secret, to: &dumped)
        for text in ["\(secret)", String(describing: secret), String(reflecting: secret), dumped, "\([secret])"] {
            #expect(!text.contains("MfKQ9r8G"), "\(text)")
            #expect(text.contains("WebhookSecret"), "\(text)")
        }
    }
}
