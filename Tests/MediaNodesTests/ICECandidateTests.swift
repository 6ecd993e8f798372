import Testing

@testable import MediaNodes

/// SDP candidate attribute values as browsers write them, and the priority formula.
@Suite struct ICECandidateTests {
    @Test func parsesAChromeHostCandidateWithAnMDNSName() throws {
        let text = "candidate:3010209924 1 udp 2113937151 5f8e4d2c-1a2b-4c3d-9e8f-0123456789ab.local 54321 typ host generation 0 ufrag q6Xs network-cost 999"
        let candidate = try ICECandidate(parsing: text)
        #expect(candidate.foundation == "3010209924")
        #expect(candidate.component == 1)
        #expect(candidate.transport == .udp)
        #expect(candidate.priority == 2_113_937_151)
        #expect(candidate.address == "5f8e4d2c-1a2b-4c3d-9e8f-0123456789ab.local")
        #expect(candidate.port == 54321)
        #expect(candidate.kind == .host)
        #expect(candidate.transportAddress == nil)
        #expect(candidate.extensions == [.init(name: "generation", value: "0"), .init(name: "ufrag", value: "q6Xs"), .init(name: "network-cost", value: "999")])
        #expect(candidate.description == text)
    }

    @Test func parsesSrflxWithRelatedAddressAndTCPTypes() throws {
        let srflx = try ICECandidate(parsing: "a=candidate:842163049 1 UDP 1677729535 203.0.113.9 61000 typ srflx raddr 0.0.0.0 rport 0")
        #expect(srflx.transport == .udp && srflx.kind == .srflx)
        #expect(srflx.relatedAddress == "0.0.0.0" && srflx.relatedPort == 0)
        #expect(srflx.transportAddress == TransportAddress(transport: .udp, ip: [203, 0, 113, 9], port: 61000))
        #expect(srflx.description == "candidate:842163049 1 udp 1677729535 203.0.113.9 61000 typ srflx raddr 0.0.0.0 rport 0")

        let passive = try ICECandidate(parsing: "1 1 TCP 1518280447 2001:db8::5 443 typ host tcptype passive")
        #expect(passive.transport == .tcp && passive.tcpType == .passive)
        #expect(passive.transportAddress == TransportAddress(transport: .tcp, host: "2001:db8::5", port: 443))
        #expect(try ICECandidate(parsing: passive.description) == passive)
        #expect(try ICECandidate(parsing: "candidate:2 1 tcp 1 10.0.0.1 9 typ host tcptype active").tcpType == .active)
        #expect(try ICECandidate(parsing: "candidate:2 1 tcp 1 10.0.0.1 9 typ prflx tcptype so").tcpType == .so)
    }

    @Test func writesAndReparsesEveryField() throws {
        let candidate = ICECandidate(
            foundation: "a+b/9", component: 1, transport: .udp,
            priority: ICECandidate.priority(kind: .relay, localPreference: 65535),
            address: "192.0.2.44", port: 3478, kind: .relay, relatedAddress: "198.51.100.2", relatedPort: 50000,
            extensions: [.init(name: "network-id", value: "2")]
        )
        #expect(try ICECandidate(parsing: candidate.description) == candidate)
    }

    @Test func refusesMalformedCandidates() {
        let malformed = [
            "",
            "candidate:1 1 udp 100 10.0.0.1 5000 host",
            "candidate:1 1 udp 100 10.0.0.1 5000 typ",
            "candidate:1 1 sctp 100 10.0.0.1 5000 typ host",
            "candidate:1 0 udp 100 10.0.0.1 5000 typ host",
            "candidate:1 1 udp 4294967296 10.0.0.1 5000 typ host",
            "candidate:1 1 udp 100 10.0.0.1 65536 typ host",
            "candidate:1 1 udp 100 10.0.0.1 5000 typ bogus",
            "candidate:1 1 udp 100 10.0.0.1 5000 typ host generation",
            "candidate:1 1 udp 100 10.0.0.1 5000 typ srflx raddr 1.2.3.4 rport x",
            "candidate:1 1 tcp 100 10.0.0.1 5000 typ host tcptype sideways",
            "candidate:f*o 1 udp 100 10.0.0.1 5000 typ host",
        ]
        for text in malformed {
            #expect(throws: MalformedPacket.self, "\(text)") { try ICECandidate(parsing: text) }
        }
    }

    @Test func priorityFollowsRFC8445() {
        // 2^24 * 126 + 2^8 * 65535 + 255: the highest host priority, as browsers write it.
        #expect(ICECandidate.priority(kind: .host, localPreference: 65535, component: 1) == 2_130_706_431)
        #expect(ICECandidate.priority(kind: .srflx, localPreference: 65535, component: 1) == 1_694_498_815)
        #expect(ICECandidate.priority(kind: .prflx, localPreference: 0, component: 2) == 110 << 24 | 254)
        #expect(ICECandidate.priority(kind: .relay, localPreference: 1, component: 256) == 256)
        #expect(ICECandidate.priority(kind: .host, localPreference: 0, component: 0) == 126 << 24 | 255)
    }
}

@Suite struct ICECandidateFuzzFindingTests {
    /// Found by the ice-candidate fuzzer: a field starting with a combining mark fused with the space before it.
    @Test func splitsFieldsOnSpacesEvenBeforeACombiningMark() throws {
        let candidate = try ICECandidate(parsing: "candidate:1 1 udp 1 192.0.2.1 9 typ host n\t\u{301}v")
        #expect(candidate.extensions.map(\.name) == ["n"])
        #expect(try ICECandidate(parsing: candidate.description) == candidate)
    }
}
