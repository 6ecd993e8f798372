import Platform
import Testing

@Suite struct EgressPolicyTests {
    let policy = EgressPolicy()

    func reason(_ text: String, _ policy: EgressPolicy = EgressPolicy()) -> String? {
        guard case .refused(let reason) = policy.check(IPAddress(text)!) else { return nil }
        return reason
    }

    /// Each built-in range with addresses just inside it and just outside it (outside addresses may
    /// fall in a neighbouring refused range, but never in this one).
    @Test(arguments: [
        ("0.0.0.0/8", ["0.0.0.0", "0.255.255.255"], ["1.0.0.0"]),
        ("10.0.0.0/8", ["10.0.0.0", "10.0.0.1", "10.255.255.255"], ["9.255.255.255", "11.0.0.0"]),
        ("100.64.0.0/10", ["100.64.0.0", "100.127.255.255"], ["100.63.255.255", "100.128.0.0"]),
        ("127.0.0.0/8", ["127.0.0.0", "127.0.0.1", "127.255.255.255"], ["126.255.255.255", "128.0.0.0"]),
        ("169.254.0.0/16", ["169.254.0.0", "169.254.169.254", "169.254.255.255"], ["169.253.255.255", "169.255.0.0"]),
        ("172.16.0.0/12", ["172.16.0.0", "172.31.255.255"], ["172.15.255.255", "172.32.0.0"]),
        ("192.0.0.0/24", ["192.0.0.0", "192.0.0.170", "192.0.0.255"], ["191.255.255.255", "192.0.1.0"]),
        ("192.168.0.0/16", ["192.168.0.0", "192.168.255.255"], ["192.167.255.255", "192.169.0.0"]),
        ("198.18.0.0/15", ["198.18.0.0", "198.19.255.255"], ["198.17.255.255", "198.20.0.0"]),
        ("224.0.0.0/4", ["224.0.0.0", "239.255.255.255"], ["223.255.255.255", "240.0.0.0"]),
        ("240.0.0.0/4", ["240.0.0.0", "255.255.255.255"], ["239.255.255.255"]),
        ("::/128", ["::"], ["::1"]),
        ("::1/128", ["::1"], ["::", "::2"]),
        ("::/96", ["::2", "::255.255.255.255"], ["::1:0:0"]),
        ("64:ff9b:1::/48", ["64:ff9b:1::", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff"], ["64:ff9b:0:ffff:ffff:ffff:ffff:ffff", "64:ff9b:2::"]),
        ("fc00::/7", ["fc00::", "fd12:3456::1", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"], ["fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe00::"]),
        ("fe80::/10", ["fe80::", "fe80::1", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"], ["fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fec0::"]),
        ("ff00::/8", ["ff00::", "ff02::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"], ["feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]),
    ])
    func refusesEachBuiltInRange(_ range: String, _ inside: [String], _ outside: [String]) {
        #expect(EgressPolicy.refusedRanges.contains { $0.range.description == range })
        for address in inside {
            #expect(reason(address)?.hasPrefix(range + " (") == true, "\(address): \(reason(address) ?? "allowed")")
        }
        for address in outside {
            #expect(reason(address)?.hasPrefix(range + " (") != true, "\(address): \(reason(address) ?? "allowed")")
        }
    }

    @Test(arguments: [
        "1.0.0.0", "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
        "128.0.0.0", "169.253.255.255", "172.15.255.255", "172.32.0.0", "191.255.255.255", "192.0.1.0",
        "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255",
        "2001:4860:4860::8888", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2002:0808:0808::1",
        "64:ff9b:0:ffff:ffff:ffff:ffff:ffff", "fe00::", "fec0::",
    ])
    func allowsPublicAddresses(_ address: String) {
        #expect(policy.check(IPAddress(address)!) == .allowed)
    }

    @Test func refusalsNameTheirRange() {
        #expect(reason("169.254.169.254") == "169.254.0.0/16 (link-local, including the cloud metadata service 169.254.169.254)")
        #expect(reason("100.100.100.200")?.contains("carrier-grade NAT") == true)
        #expect(reason("255.255.255.255")?.contains("broadcast") == true)
        #expect(EgressPolicy.refusedRanges.count == 18)
        #expect(EgressPolicy.refusedRanges.allSatisfy { !$0.purpose.isEmpty })
    }

    @Test func ipv4MappedAddressesAreJudgedAsIPv4() {
        #expect(reason("::ffff:127.0.0.1")?.hasPrefix("127.0.0.0/8") == true)
        #expect(reason("::ffff:169.254.169.254")?.hasPrefix("169.254.0.0/16") == true)
        #expect(reason("::ffff:a00:1")?.hasPrefix("10.0.0.0/8") == true)
        #expect(policy.check(IPAddress("::ffff:1.1.1.1")!) == .allowed)
    }

    /// NAT64 and 6to4 deliver to the IPv4 address they carry: that address decides.
    @Test func translationPrefixesAreJudgedByTheirEmbeddedIPv4() {
        let nat64 = reason("64:ff9b::127.0.0.1")
        #expect(nat64?.hasPrefix("64:ff9b::/96 (NAT64) delivers to 127.0.0.1, in 127.0.0.0/8") == true, "\(nat64 ?? "allowed")")
        #expect(reason("64:ff9b::a9fe:a9fe")?.contains("169.254.0.0/16") == true)
        #expect(reason("64:ff9b::")?.contains("0.0.0.0/8") == true)
        #expect(policy.check(IPAddress("64:ff9b::1.1.1.1")!) == .allowed)

        let sixToFour = reason("2002:7f00:1::1")
        #expect(sixToFour?.hasPrefix("2002::/16 (6to4) delivers to 127.0.0.1, in 127.0.0.0/8") == true, "\(sixToFour ?? "allowed")")
        #expect(reason("2002:a9fe:a9fe::")?.contains("169.254.0.0/16") == true)
        #expect(reason("2002:c0a8:101:ffff::1")?.contains("192.168.0.0/16") == true)
        #expect(policy.check(IPAddress("2002:101:101::1")!) == .allowed)
    }

    @Test func allowlistOverridesOnlyWhatItCovers() throws {
        let loopback = try EgressPolicy.parse("127.0.0.0/8")
        #expect(loopback.check(IPAddress("127.0.0.1")!) == .allowed)
        #expect(loopback.check(IPAddress("127.255.0.9")!) == .allowed)
        #expect(loopback.check(IPAddress("::ffff:127.0.0.1")!) == .allowed)
        #expect(loopback.check(IPAddress("64:ff9b::127.0.0.1")!) == .allowed)
        #expect(reason("10.0.0.1", loopback)?.hasPrefix("10.0.0.0/8") == true)
        #expect(reason("169.254.169.254", loopback) != nil)
        #expect(reason("::1", loopback)?.hasPrefix("::1/128") == true)

        let both = EgressPolicy(allowing: [try IPAddressRange("::1"), try IPAddressRange("10.20.0.0/16")])
        #expect(both.check(IPAddress("::1")!) == .allowed)
        #expect(both.check(IPAddress("10.20.30.40")!) == .allowed)
        #expect(reason("10.21.0.0", both) != nil)
    }

    @Test func parsesTheAllowlistText() throws {
        #expect(try EgressPolicy.parse("").allowed.isEmpty)
        #expect(try EgressPolicy.parse(" , ").allowed.isEmpty)
        let parsed = try EgressPolicy.parse(" 10.20.0.0/16 , fd00::/8,")
        #expect(parsed.allowed == [try IPAddressRange("10.20.0.0/16"), try IPAddressRange("fd00::/8")])
        #expect(throws: IPAddressRangeError.self) { try EgressPolicy.parse("10.0.0.0/8,10.0.0.0/33") }
        #expect(throws: IPAddressRangeError.self) { try EgressPolicy.parse("10.0.0.0/8 192.168.0.0/16") }

        #expect(try EgressPolicy.fromEnvironment([:]).allowed.isEmpty)
        let environment = [EgressPolicy.environmentVariable: "127.0.0.0/8,::1"]
        #expect(try EgressPolicy.fromEnvironment(environment).allowed.count == 2)
        #expect(EgressPolicy.environmentVariable == "PARLEY_EGRESS_ALLOW")
    }

    @Test(arguments: [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::1]:8080/", "::1"),
        ("http://10.0.0.1", "10.0.0.1"),
        ("https://127.0.0.1:8443/hook?x=1", "127.0.0.1"),
        ("ws://0.0.0.0:9000/stream", "0.0.0.0"),
        ("wss://[fe80::1]/", "fe80::1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
        ("http://[::ffff:7f00:1]/", "::ffff:127.0.0.1"),
        ("http://[64:ff9b::a9fe:a9fe]/", "64:ff9b::a9fe:a9fe"),
    ])
    func refusesIPLiteralsAtOnce(_ url: String, _ address: String) {
        let error = #expect(throws: EgressError.self) { try policy.checkURL(url) }
        guard case .refused(let refused, let reason)? = error else {
            Issue.record("expected a refusal, got \(String(describing: error))")
            return
        }
        #expect(refused == IPAddress(address))
        #expect(!reason.isEmpty)
    }

    @Test(arguments: [
        "ftp://example.com/", "file:///etc/passwd", "javascript:alert(1)", "example.com/hook", "//example.com/",
        "gopher://example.com/", "http:/example.com/", "http://", "http:///hook", "http://:8080/", "http://?x",
        "http://user:secret@example.com/", "http://user@example.com/", "http://example.com@127.0.0.1/",
        "http://example.com:0/", "http://example.com:65536/", "http://example.com:80a/", "http://example.com:/",
        "http://example.com:-1/", "http://example.com:123456/", "http://example.com:8080:9090/",
        "http://::1/", "http://[127.0.0.1]/", "http://[example.com]/", "http://[::1]x/", "http://[::1",
        "http://[fe80::1%25eth0]/", "http://example.com /", "http://exa\nmple.com/", " http://example.com/",
        "http://example.com/\u{0}", "http://example.com\\@127.0.0.1/", "http://bücher.example/",
        "http://127.1/", "http://2130706433/", "http://0x7f.0.0.1/", "http://0x7f000001/", "http://127.0.0.1./",
        "http://10.0.0.1.:80/", "http://127.0.0.%31/", "http://exa%6dple.com/", "http://example..com/",
        "http://.example.com/", "http://\(String(repeating: "a", count: 64)).example/",
    ])
    func rejectsUnusableURLs(_ url: String) {
        let error = #expect(throws: EgressError.self) { try policy.checkURL(url) }
        guard case .invalidURL? = error else {
            Issue.record("expected invalidURL, got \(String(describing: error))")
            return
        }
    }

    @Test func invalidURLErrorsDoNotRepeatCredentials() {
        let error = #expect(throws: EgressError.self) { try policy.checkURL("https://alice:hunter2@example.com/") }
        #expect(error?.description.contains("hunter2") == false)
        #expect(error?.description.contains("credentials") == true)
    }

    @Test(arguments: [
        ("https://example.com/hook?x=1#top", EgressTarget(scheme: "https", host: "example.com", port: 443)),
        ("HTTP://Example.COM:8080", EgressTarget(scheme: "http", host: "example.com", port: 8080)),
        ("http://example.com?x=@127.0.0.1", EgressTarget(scheme: "http", host: "example.com", port: 80)),
        ("http://example.com#@127.0.0.1", EgressTarget(scheme: "http", host: "example.com", port: 80)),
        ("ws://media.example.com/stream", EgressTarget(scheme: "ws", host: "media.example.com", port: 80)),
        ("wss://media.example.com:8443/s", EgressTarget(scheme: "wss", host: "media.example.com", port: 8443)),
        ("http://8.8.8.8:65535/", EgressTarget(scheme: "http", host: "8.8.8.8", port: 65535)),
        ("https://[2606:4700::1111]/", EgressTarget(scheme: "https", host: "2606:4700::1111", port: 443)),
        ("https://[2606:4700::AB]:1/", EgressTarget(scheme: "https", host: "2606:4700::ab", port: 1)),
        // Names are the caller's to resolve and check address by address.
        ("http://localhost:3000/", EgressTarget(scheme: "http", host: "localhost", port: 3000)),
        ("http://metadata.google.internal/", EgressTarget(scheme: "http", host: "metadata.google.internal", port: 80)),
        ("http://my_host.corp.example./x", EgressTarget(scheme: "http", host: "my_host.corp.example.", port: 80)),
        ("https://xn--bcher-kva.example/ü?q=ü", EgressTarget(scheme: "https", host: "xn--bcher-kva.example", port: 443)),
        ("http://1.2.3.4.nip.io/", EgressTarget(scheme: "http", host: "1.2.3.4.nip.io", port: 80)),
        ("http://0x7f.example/", EgressTarget(scheme: "http", host: "0x7f.example", port: 80)),
    ])
    func acceptsUsableURLs(_ url: String, _ target: EgressTarget) throws {
        #expect(try policy.checkURL(url) == target)
    }

    @Test func allowlistedLiteralsPass() throws {
        let loopback = try EgressPolicy.parse("127.0.0.0/8,::1")
        #expect(try loopback.checkURL("http://127.0.0.1:8080/hook") == EgressTarget(scheme: "http", host: "127.0.0.1", port: 8080))
        #expect(try loopback.checkURL("http://[::1]:8080/") == EgressTarget(scheme: "http", host: "::1", port: 8080))
        #expect(throws: EgressError.self) { try loopback.checkURL("http://10.0.0.1/") }
    }

    @Test func documentedLimits() {
        #expect(EgressPolicy.defaultConnectTimeout == .seconds(5))
        #expect(EgressPolicy.defaultTotalTimeout == .seconds(15))
        #expect(EgressPolicy.defaultMaximumResponseBytes == 1_048_576)
    }
}
