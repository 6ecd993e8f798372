import Platform
import Testing

@Suite struct ConnectionOverridesTests {
    @Test func defaults() {
        let standard = ConnectionOverrides.standard
        #expect(standard.connectTimeout == .milliseconds(5000))
        #expect(standard.readTimeout == .milliseconds(15000))
        #expect(standard.totalTimeout == .milliseconds(15000))
        #expect(standard.retryCount == 0)
        #expect(standard.retryPolicy == [.connect])
    }

    @Test func urlWithoutFragmentIsUnchanged() throws {
        let url = "https://example.com/hook?a=1&ct=5"
        let parsed = try ConnectionOverrides.parse(url)
        #expect(parsed.url == url)
        #expect(parsed.overrides == .standard)
    }

    @Test(arguments: ["https://example.com/hook#", "https://example.com/hook#&"])
    func emptyFragmentIsStrippedAndStandard(url: String) throws {
        let parsed = try ConnectionOverrides.parse(url)
        #expect(parsed.url == "https://example.com/hook")
        #expect(parsed.overrides == .standard)
    }

    @Test func everyKey() throws {
        let parsed = try ConnectionOverrides.parse("https://example.com/p?q=1#ct=1000&rt=2000&tt=3000&rc=2&rp=5xx,4xx")
        #expect(parsed.url == "https://example.com/p?q=1")
        #expect(parsed.overrides == ConnectionOverrides(
            connectTimeout: .milliseconds(1000), readTimeout: .milliseconds(2000), totalTimeout: .milliseconds(3000),
            retryCount: 2, retryPolicy: [.status5xx, .status4xx]))
    }

    /// Each timeout at both ends of its range; the other fields keep their defaults.
    @Test(arguments: [
        ("ct=100", ConnectionOverrides(connectTimeout: .milliseconds(100))),
        ("ct=10000", ConnectionOverrides(connectTimeout: .milliseconds(10000))),
        ("rt=100", ConnectionOverrides(readTimeout: .milliseconds(100))),
        ("rt=15000", ConnectionOverrides(readTimeout: .milliseconds(15000))),
        ("tt=100", ConnectionOverrides(totalTimeout: .milliseconds(100))),
        ("tt=15000", ConnectionOverrides(totalTimeout: .milliseconds(15000))),
    ])
    func timeoutBounds(fragment: String, expected: ConnectionOverrides) throws {
        #expect(try ConnectionOverrides.parse("http://h/#\(fragment)").overrides == expected)
    }

    @Test func retryKeys() throws {
        #expect(try ConnectionOverrides.parse("http://h/#rc=0").overrides.retryCount == 0)
        #expect(try ConnectionOverrides.parse("http://h/#rc=5").overrides.retryCount == 5)
        #expect(try ConnectionOverrides.parse("http://h/#rp=ct,rt,4xx,5xx,all").overrides.retryPolicy == Set(ConnectionOverrides.RetryReason.allCases))
        #expect(try ConnectionOverrides.parse("http://h/#rp=rt").overrides.retryPolicy == [.read])
        #expect(try ConnectionOverrides.parse("http://h/#rp=all").overrides.retryPolicy == [.all])
    }

    @Test(arguments: [
        ("ct=99", "ct must be a whole number from 100 to 10000"),
        ("ct=10001", "ct must be a whole number from 100 to 10000"),
        ("rt=99", "rt must be a whole number from 100 to 15000"),
        ("rt=15001", "rt must be a whole number from 100 to 15000"),
        ("tt=99", "tt must be a whole number from 100 to 15000"),
        ("tt=15001", "tt must be a whole number from 100 to 15000"),
        ("rc=6", "rc must be a whole number from 0 to 5"),
        ("rc=-1", "rc must be a whole number from 0 to 5"),
        ("ct=1e3", "ct must be a whole number from 100 to 10000"),
        ("ct=", "ct must be a whole number from 100 to 10000"),
        ("ct=99999999999999999999", "ct must be a whole number from 100 to 10000"),
        ("rp=ct,bogus", "rp must list ct, rt, 4xx, 5xx or all, comma-separated (got \"bogus\")"),
        ("rp=", "rp must list ct, rt, 4xx, 5xx or all, comma-separated (got \"\")"),
        ("e=ashburn", "unknown connection override \"e\" (known: ct, rt, tt, rc, rp)"),
        ("CT=1000", "unknown connection override \"CT\" (known: ct, rt, tt, rc, rp)"),
        ("ct", "\"ct\" has no value (expected key=value)"),
        ("ct=1000&ct=2000", "\"ct\" is given twice"),
    ])
    func badFragmentsAreInvalidURLs(fragment: String, reason: String) {
        #expect(throws: EgressError.invalidURL("URL fragment (connection overrides): \(reason)")) {
            try ConnectionOverrides.parse("https://example.com/hook#\(fragment)")
        }
    }
}
