import Testing

@testable import MediaNodes

/// Transport addresses and the IP literal parser and formatter behind them.
@Suite struct STUNTransportAddressTests {
    @Test func describesIPv4AndIPv6() {
        #expect(TransportAddress(transport: .udp, ip: [192, 0, 2, 1], port: 3478).description == "udp 192.0.2.1:3478")
        let ipv6 = TransportAddress(transport: .tcp, ip: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1], port: 443)
        #expect(ipv6.description == "tcp [2001:db8::1]:443")
        #expect(!ipv6.isIPv4)
    }

    @Test func formatsIPv6Canonically() {
        let cases: [(String, String)] = [
            ("2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"),
            ("0:0:0:0:0:0:0:0", "::"),
            ("0:0:0:0:0:0:0:1", "::1"),
            ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  // a single zero group stays
            ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),  // the longest run is shortened
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  // the first of equal runs
            ("fe80::", "fe80::"),
            ("::ffff:192.0.2.1", "::ffff:c000:201"),
        ]
        for (input, canonical) in cases {
            let bytes = IPAddressText.parse(input)
            #expect(bytes?.count == 16, "\(input)")
            #expect(bytes.map(IPAddressText.format) == canonical, "\(input)")
        }
    }

    @Test func parsesIPv4AndRefusesNonsense() {
        #expect(IPAddressText.parse("10.1.255.0") == [10, 1, 255, 0])
        let invalid = [
            "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "a.b.c.d", "1..2.3",
            "host.local", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "::g", "fe80::1%eth0",
            "1:2:3:4:5:6:7::8", ":::",
        ]
        for text in invalid {
            #expect(IPAddressText.parse(text) == nil, "\(text)")
        }
        #expect(TransportAddress(transport: .udp, host: "x.local", port: 1) == nil)
    }
}
