import Platform
import Testing

@testable import MediaNodes

@Suite struct UpgradeRequestTests {
    private func request(_ url: String) throws -> UpgradeRequest {
        UpgradeRequest(url: url, target: try EgressPolicy().checkURL(url), signature: "sig")
    }

    @Test func pathAndQueryAreSentAsTheURLHasThem() throws {
        let upgrade = try request("wss://stt.example.com:8443/streams/a?lang=en&x=1")
        #expect(upgrade.host == "stt.example.com:8443")
        #expect(upgrade.requestTarget == "/streams/a?lang=en&x=1")
    }

    @Test func aURLWithoutPathAsksForTheRoot() throws {
        #expect(try request("ws://example.com").requestTarget == "/")
        #expect(try request("ws://example.com?token=abc").requestTarget == "/?token=abc")
    }

    @Test func theFragmentStaysOnThisSide() throws {
        let upgrade = try request("wss://example.com/media#section")
        #expect(upgrade.requestTarget == "/media")
        #expect(upgrade.host == "example.com")
    }

    @Test func anIPv6HostKeepsItsBrackets() throws {
        let upgrade = try request("ws://[2001:db8::1]:9000/x")
        #expect(upgrade.host == "[2001:db8::1]:9000")
        #expect(upgrade.target.host == "2001:db8::1")
    }
}
