import APIGateway
import Foundation
import Platform
import Testing

/// Twilio's request and response encodings.
@Suite struct EncodingTests {
    @Test func formParametersKeepRepeatedAndDottedKeys() throws {
        let form = try FormParameters(encoded: "To=%2B15551234567&Body=hi+there&MediaUrl=a&MediaUrl=b&MessagingBinding.Address=%2B1&Empty=&Flag")
        #expect(form.first("To") == "+15551234567")
        #expect(form.first("Body") == "hi there")
        #expect(form.all("MediaUrl") == ["a", "b"])
        #expect(form.first("MessagingBinding.Address") == "+1")
        #expect(form.first("Empty") == "")
        #expect(form.first("Flag") == "")
        #expect(form.first("Missing") == nil)
    }

    @Test func formParametersRejectBrokenEncoding() {
        for bad in ["A=%", "A=%4", "A=%zz", "A=%ff%fe"] {
            #expect(throws: APIError.self, "\(bad)") { try FormParameters(encoded: bad) }
        }
    }

    @Test func formEncodingRoundTrips() throws {
        let original = FormParameters([("A b", "c&d=e"), ("Ü", "+1 555"), ("A b", "2")])
        #expect(try FormParameters(encoded: original.encoded) == original)
    }

    @Test func canonicalDigestIgnoresOrderButNotValues() {
        let one = FormParameters([("A", "1"), ("B", "2"), ("A", "3")])
        let reordered = FormParameters([("B", "2"), ("A", "3"), ("A", "1")])
        let different = FormParameters([("A", "1"), ("B", "2"), ("A", "4")])
        let shifted = FormParameters([("A", "12"), ("B", ""), ("A", "3")])
        #expect(one.canonicalDigest == reordered.canonicalDigest)
        #expect(one.canonicalDigest != different.canonicalDigest)
        #expect(one.canonicalDigest != shifted.canonicalDigest)
    }

    @Test func datesUseTwilioFormats() {
        let date = Date(timeIntervalSince1970: 1_438_286_400.9)  // Thu, 30 Jul 2015 20:00:00 UTC
        #expect(TwilioDate.rfc2822(date) == "Thu, 30 Jul 2015 20:00:00 +0000")
        #expect(TwilioDate.iso8601(date) == "2015-07-30T20:00:00Z")
        #expect(TwilioDate.rfc2822(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
    }

    @Test func errorBodiesHaveTwilioShape() throws {
        let response = JSONResponse.error(.tooManyRequests(retryAfterSeconds: 3))
        #expect(response.status.code == 429)
        #expect(response.headers[.retryAfter] == "3")
    }

    @Test func publicURLDefaultsToListenAddress() {
        #expect(GatewayConfiguration(host: "127.0.0.1", port: 9000).publicURL == "http://127.0.0.1:9000")
        #expect(GatewayConfiguration(host: "::1", port: 9000).publicURL == "http://[::1]:9000")
        #expect(GatewayConfiguration(publicURL: "https://api.example.com/").publicURL == "https://api.example.com")
    }
}
