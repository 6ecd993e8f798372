import Foundation
import Platform
import Testing

@Suite struct SIDTests {
    static let hexDigits = Set("0123456789abcdef")

    @Test(arguments: [SIDPrefix.account, .apiKey, .request])
    func generatedSIDHasPrefixAndLowercaseHex(_ prefix: SIDPrefix) {
        let sid = SID.generate(prefix)
        #expect(sid.rawValue.count == 34)
        #expect(sid.rawValue.utf8.count == 34)
        #expect(sid.rawValue.hasPrefix(prefix.rawValue))
        #expect(sid.prefix == prefix)
        #expect(sid.rawValue.dropFirst(2).allSatisfy { Self.hexDigits.contains($0) })
        #expect(sid.description == sid.rawValue)
        // What we generate, we accept back unchanged.
        #expect(SID(sid.rawValue, prefix: prefix) == sid)
    }

    @Test func generatedSIDsAreUnique() {
        let sids = Set((0..<1000).map { _ in SID.generate(.account) })
        #expect(sids.count == 1000)
    }

    @Test func parseAcceptsLowercaseHexUnchanged() throws {
        let text = "AC0123456789abcdef0123456789abcdef"
        let sid = try #require(SID(text))
        #expect(sid.rawValue == text)
        #expect(sid.prefix == .account)
    }

    @Test func parseAcceptsUppercaseHexAndNormalises() throws {
        let sid = try #require(SID("SK0123456789ABCDEF0123456789AbCdEf", prefix: .apiKey))
        #expect(sid.rawValue == "SK0123456789abcdef0123456789abcdef")
        #expect(sid == SID("SK0123456789abcdef0123456789abcdef"))
    }

    @Test func parseAcceptsSubstrings() throws {
        let text = "/Accounts/AC0123456789abcdef0123456789abcdef.json"
        let start = text.index(text.startIndex, offsetBy: 10)
        let sid = try #require(SID(text[start..<text.index(start, offsetBy: 34)]))
        #expect(sid.rawValue == "AC0123456789abcdef0123456789abcdef")
    }

    @Test(arguments: [
        "",
        "AC",
        "AC0123456789abcdef0123456789abcde",  // 33
        "AC0123456789abcdef0123456789abcdef0",  // 35
        " AC0123456789abcdef0123456789abcdef",
        "AC0123456789abcdef0123456789abcdeg",  // non-hex
        "AC0123456789abcdef-123456789abcdef",
        "AC0123456789abcdef 123456789abcdef",
        "ac0123456789abcdef0123456789abcdef",  // lowercase prefix
        "Ac0123456789abcdef0123456789abcdef",
        "A10123456789abcdef0123456789abcdef",  // digit in prefix
        "AC0123456789abcdef0123456789abcdé",  // non-ASCII, 34 characters
        "AC０123456789abcdef0123456789abcde",  // full-width digit
    ])
    func parseRejectsMalformed(_ text: String) {
        #expect(SID(text) == nil)
    }

    @Test func parseRejectsWrongPrefixWhenOneIsRequired() {
        let key = "SK0123456789abcdef0123456789abcdef"
        #expect(SID(key) != nil)
        #expect(SID(key, prefix: .apiKey) != nil)
        #expect(SID(key, prefix: .account) == nil)
        #expect(SID(key, prefix: .request) == nil)
    }
}
