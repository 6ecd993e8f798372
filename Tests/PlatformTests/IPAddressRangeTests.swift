import Platform
import Testing

@Suite struct IPAddressTests {
    @Test func parsesIPv4() {
        #expect(IPAddress("10.0.0.1") == .v4(0x0A00_0001))
        #expect(IPAddress("0.0.0.0") == .v4(0))
        #expect(IPAddress("255.255.255.255") == .v4(.max))
        #expect(IPAddress("169.254.169.254")?.description == "169.254.169.254")
    }

    @Test func parsesIPv6() {
        #expect(IPAddress("::") == .v6(0))
        #expect(IPAddress("::1") == .v6(1))
        #expect(IPAddress("2001:db8::1") == .v6(0x2001_0db8_0000_0000_0000_0000_0000_0001))
        #expect(IPAddress("2001:0DB8:0000:0000:0000:0000:0000:0001") == IPAddress("2001:db8::1"))
        #expect(IPAddress("FE80::1")?.description == "fe80::1")
        #expect(IPAddress("2001:db8:0:0:1:0:0:1")?.description == "2001:db8::1:0:0:1")
    }

    @Test func ipv4MappedAddressesUnmapToIPv4() {
        let mapped = IPAddress("::ffff:127.0.0.1")
        #expect(mapped == .v6(0xffff_7f00_0001))
        #expect(mapped == IPAddress("::ffff:7f00:1"))
        #expect(mapped?.description == "::ffff:127.0.0.1")
        #expect(mapped?.unmapped == .v4(0x7f00_0001))
        // Only ::ffff:0:0/96 maps; the deprecated IPv4-compatible form and others stay IPv6.
        #expect(IPAddress("::127.0.0.1")?.unmapped == .v6(0x7f00_0001))
        #expect(IPAddress("::1:ffff:7f00:1")?.unmapped == IPAddress("::1:ffff:7f00:1"))
        #expect(IPAddress("10.0.0.1")?.unmapped == .v4(0x0A00_0001))
    }

    @Test(arguments: [
        "", " ", "1.2.3", "1.2.3.4.5", "1.2.3.256", "127.1", "0x7f.0.0.1", "2130706433", "01.2.3.4",
        " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/32", "[::1]", "fe80::1%eth0", "::1::2", "1:2:3:4:5:6:7:8:9", "gggg::1",
        "example.com", "127.0.0.1\u{0}.example.com", "١٢٧.0.0.1",
    ])
    func rejectsGarbage(_ text: String) {
        #expect(IPAddress(text) == nil)
    }
}

@Suite struct IPAddressRangeTests {
    @Test func parsesCIDRAndBareAddresses() throws {
        let ten = try IPAddressRange("10.0.0.0/8")
        #expect(ten.network == .v4(0x0A00_0000))
        #expect(ten.prefixLength == 8)
        #expect(ten.description == "10.0.0.0/8")
        #expect(try IPAddressRange("192.0.2.7").prefixLength == 32)
        #expect(try IPAddressRange("::1").prefixLength == 128)
        #expect(try IPAddressRange("fd00::/8").description == "fd00::/8")
        #expect(try IPAddressRange("0.0.0.0/0").prefixLength == 0)
        #expect(try IPAddressRange("::/0").prefixLength == 0)
    }

    @Test func containsIsBoundedByThePrefix() throws {
        let range = try IPAddressRange("172.16.0.0/12")
        #expect(range.contains(IPAddress("172.16.0.0")!))
        #expect(range.contains(IPAddress("172.31.255.255")!))
        #expect(!range.contains(IPAddress("172.15.255.255")!))
        #expect(!range.contains(IPAddress("172.32.0.0")!))

        let unique = try IPAddressRange("fd00::/8")
        #expect(unique.contains(IPAddress("fd12:3456::1")!))
        #expect(!unique.contains(IPAddress("fc00::1")!))
        #expect(!unique.contains(IPAddress("10.0.0.1")!))

        let single = try IPAddressRange("192.0.2.7")
        #expect(single.contains(IPAddress("192.0.2.7")!))
        #expect(!single.contains(IPAddress("192.0.2.8")!))

        let everything = try IPAddressRange("0.0.0.0/0")
        #expect(everything.contains(IPAddress("255.255.255.255")!))
        #expect(!everything.contains(IPAddress("::1")!))
    }

    @Test func mappedAddressesMatchEitherKindOfRange() throws {
        let v4 = try IPAddressRange("10.0.0.0/8")
        #expect(v4.contains(IPAddress("::ffff:10.1.2.3")!))
        #expect(!v4.contains(IPAddress("::ffff:11.1.2.3")!))

        let mapped = try IPAddressRange("::ffff:10.0.0.0/104")
        #expect(mapped.contains(IPAddress("10.1.2.3")!))
        #expect(mapped.contains(IPAddress("::ffff:10.1.2.3")!))
        #expect(!mapped.contains(IPAddress("11.0.0.0")!))
        // All IPv4 addresses lie in ::/0 as their mapped form.
        #expect(try IPAddressRange("::/0").contains(IPAddress("8.8.8.8")!))
    }

    @Test(arguments: [
        ("10.0.0.0/33", "prefix length of an IPv4 range is 0 to 32"),
        ("::/129", "prefix length of an IPv6 range is 0 to 128"),
        ("10.0.0.0/", "prefix length"),
        ("10.0.0.0/-1", "prefix length"),
        ("10.0.0.0/+8", "prefix length"),
        ("10.0.0.0/8/8", "prefix length"),
        ("10.0.0.0/0008", "prefix length"),
        ("10.1.2.3/8", "did you mean 10.0.0.0/8?"),
        ("fd00::1/8", "did you mean fd00::/8?"),
        ("nonsense/8", "\"nonsense\" is not an IPv4 or IPv6 address"),
        ("", "is not an IPv4 or IPv6 address"),
        ("/8", "is not an IPv4 or IPv6 address"),
        ("127.1/8", "is not an IPv4 or IPv6 address"),
    ])
    func rejectsBadRangesClearly(_ text: String, _ message: String) {
        let error = #expect(throws: IPAddressRangeError.self) { try IPAddressRange(text) }
        #expect(error?.text == text)
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }
}
