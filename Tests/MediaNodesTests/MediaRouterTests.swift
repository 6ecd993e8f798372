import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import MediaNodes

/// The router's gate: nothing but ICE checks is looked at from an address until a check from it passed.
@Suite struct MediaRouterTests {
    private let clientAddress = TransportAddress(transport: .udp, ip: [10, 0, 0, 1], port: 5000)

    @Test func acceptsDTLSOnlyFromAnAddressThatPassedAnICECheck() throws {
        let router = MediaRouter(loop: EmbeddedEventLoop(), logger: Logger(label: "test"))
        let nodeCertificate = try DTLSCertificate()
        let clientCertificate = try DTLSCertificate()
        let peer = PeerTransport(credentials: .random(), certificate: nodeCertificate, router: router, logger: Logger(label: "test"))
        let client = ICECredentials.random()
        try peer.setRemote(credentials: client, fingerprint: clientCertificate.fingerprint)
        let dtls = try DTLSEndpoint(role: .client, certificate: clientCertificate, remoteFingerprint: nodeCertificate.fingerprint)
        let hello = try #require(dtls.start().first)
        let sink = MediaSink.udp(try SocketAddress(ipAddress: "10.0.0.1", port: 5000))

        router.receive(hello, from: clientAddress, sink: sink, at: .now)
        #expect(router.refusedPackets == 1)

        // A check signed with the wrong password opens nothing.
        let forged = ICEClientChecks(local: client, remote: ICECredentials(ufrag: peer.credentials.ufrag, password: String(repeating: "x", count: 24)))
        router.receive(forged.bindingRequest(priority: 1, useCandidate: true), from: clientAddress, sink: sink, at: .now)
        router.receive(hello, from: clientAddress, sink: sink, at: .now)
        #expect(router.refusedPackets == 2)

        let checks = ICEClientChecks(local: client, remote: peer.credentials)
        router.receive(checks.bindingRequest(priority: 1, useCandidate: true), from: clientAddress, sink: sink, at: .now)
        router.receive(hello, from: clientAddress, sink: sink, at: .now)
        #expect(router.refusedPackets == 2)

        // Another address is still refused, even with the same bytes.
        let other = TransportAddress(transport: .udp, ip: [10, 0, 0, 2], port: 5000)
        router.receive(hello, from: other, sink: sink, at: .now)
        #expect(router.refusedPackets == 3)
    }

    @Test func forgetsTheAddressesOfAClosedPeer() throws {
        let router = MediaRouter(loop: EmbeddedEventLoop(), logger: Logger(label: "test"))
        let peer = PeerTransport(credentials: .random(), certificate: try DTLSCertificate(), router: router, logger: Logger(label: "test"))
        let client = ICECredentials.random()
        try peer.setRemote(credentials: client, fingerprint: try DTLSCertificate().fingerprint)
        let sink = MediaSink.udp(try SocketAddress(ipAddress: "10.0.0.1", port: 5000))
        let checks = ICEClientChecks(local: client, remote: peer.credentials)
        router.receive(checks.bindingRequest(priority: 1, useCandidate: true), from: clientAddress, sink: sink, at: .now)
        peer.close(reason: "test")
        let rtp = RTPHeader.makePacket(payloadType: 111, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: [1, 2, 3])
        router.receive(rtp, from: clientAddress, sink: sink, at: .now)
        router.receive(checks.bindingRequest(priority: 1, useCandidate: true), from: clientAddress, sink: sink, at: .now)
        #expect(router.refusedPackets == 2)
    }
}
