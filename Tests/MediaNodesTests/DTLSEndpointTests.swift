import Foundation
import Testing

@testable import MediaNodes

/// Two endpoints wired back to back through memory, with an optional hook that drops datagrams.
private struct HandshakeHarness {
    let client: DTLSEndpoint
    let server: DTLSEndpoint
    var clientChange: DTLSStateChange?
    var serverChange: DTLSStateChange?
    /// Every datagram either side sent, in order.
    var sentDatagrams: [[UInt8]] = []

    init(client: DTLSEndpoint, server: DTLSEndpoint) {
        self.client = client
        self.server = server
    }

    /// Delivers datagrams back and forth until neither side has anything more to say.
    /// `deliver` decides, per datagram and direction, whether it reaches the peer.
    mutating func pump(
        _ initial: [[UInt8]], toServer: Bool = true, deliver: (_ datagram: [UInt8], _ toServer: Bool) -> Bool = { _, _ in true }
    ) {
        var inFlight = initial
        var towardsServer = toServer
        var rounds = 0
        while !inFlight.isEmpty, rounds < 50 {
            rounds += 1
            sentDatagrams += inFlight
            var replies: [[UInt8]] = []
            for datagram in inFlight where deliver(datagram, towardsServer) {
                let events = towardsServer ? server.receive(datagram) : client.receive(datagram)
                replies += events.datagrams
                if let change = events.stateChange {
                    if towardsServer { serverChange = change } else { clientChange = change }
                }
            }
            inFlight = replies
            towardsServer.toggle()
        }
    }

    var clientKeys: SRTPKeyingMaterial? {
        if case .connected(let keys) = clientChange { keys } else { nil }
    }

    var serverKeys: SRTPKeyingMaterial? {
        if case .connected(let keys) = serverChange { keys } else { nil }
    }
}

@Suite struct DTLSEndpointTests {
    /// Two nodes' worth of identities, each expecting the other's fingerprint.
    private static func pair(
        clientProfiles: [SRTPProfile] = DTLSCertificate.defaultSRTPProfiles, mtu: Int = DTLSEndpoint.defaultMTU,
        initialRetransmitTimeout: Duration = .seconds(1), serverExpects: String? = nil, clientExpects: String? = nil
    ) throws -> HandshakeHarness {
        let clientCertificate = try DTLSCertificate()
        let serverCertificate = try DTLSCertificate()
        let client = try DTLSEndpoint(
            role: .client, certificate: clientCertificate,
            remoteFingerprint: clientExpects ?? serverCertificate.fingerprint, offeredProfiles: clientProfiles, mtu: mtu,
            initialRetransmitTimeout: initialRetransmitTimeout)
        let server = try DTLSEndpoint(
            role: .server, certificate: serverCertificate,
            remoteFingerprint: serverExpects ?? clientCertificate.fingerprint, mtu: mtu,
            initialRetransmitTimeout: initialRetransmitTimeout)
        return HandshakeHarness(client: client, server: server)
    }

    @Test func handshakeDerivesMirroredKeysAndPrefersGCM() throws {
        var harness = try Self.pair()
        #expect(harness.server.start().isEmpty)
        harness.pump(harness.client.start())

        let clientKeys = try #require(harness.clientKeys)
        let serverKeys = try #require(harness.serverKeys)
        #expect(clientKeys.profile == .aeadAES128GCM)
        #expect(clientKeys == serverKeys.mirrored)
        #expect(clientKeys.localMasterKey != clientKeys.remoteMasterKey)
        #expect(clientKeys.localMasterKey.count == 16 && clientKeys.localMasterSalt.count == 12)
        #expect(harness.client.state == .connected && harness.server.state == .connected)
    }

    @Test(arguments: [[SRTPProfile.aeadAES128GCM], [.aes128CMHMACSHA1_80]])
    func negotiatedKeysProtectMediaBothWays(clientProfiles: [SRTPProfile]) throws {
        var harness = try Self.pair(clientProfiles: clientProfiles)
        harness.pump(harness.client.start())
        let client = try SRTPContext(keyingMaterial: try #require(harness.clientKeys))
        let server = try SRTPContext(keyingMaterial: try #require(harness.serverKeys))
        #expect(client.profile == clientProfiles[0])
        let original: [UInt8] = [0x80, 111, 0, 1, 0, 0, 0, 160, 0xAB, 0xCD, 0xEF, 0x01] + Array(repeating: 0x42, count: 80)
        var upstream = original
        try client.protectRTP(&upstream)
        try server.unprotectRTP(&upstream)
        #expect(upstream == original)
        var downstream = original
        try server.protectRTP(&downstream)
        try client.unprotectRTP(&downstream)
        #expect(downstream == original)
    }

    @Test func serverPicksGCMEvenWhenTheClientPrefersCounterMode() throws {
        var harness = try Self.pair(clientProfiles: [.aes128CMHMACSHA1_80, .aeadAES128GCM])
        harness.pump(harness.client.start())
        #expect(harness.serverKeys?.profile == .aeadAES128GCM)
        #expect(harness.clientKeys?.profile == .aeadAES128GCM)
    }

    @Test func theServersOrderDecides() throws {
        let clientCertificate = try DTLSCertificate()
        let serverCertificate = try DTLSCertificate()
        var harness = HandshakeHarness(
            client: try DTLSEndpoint(
                role: .client, certificate: clientCertificate, remoteFingerprint: serverCertificate.fingerprint),
            server: try DTLSEndpoint(
                role: .server, certificate: serverCertificate, remoteFingerprint: clientCertificate.fingerprint,
                offeredProfiles: [.aes128CMHMACSHA1_80, .aeadAES128GCM]))
        harness.pump(harness.client.start())
        #expect(harness.clientKeys?.profile == .aes128CMHMACSHA1_80)
    }

    @Test func clientOfferingOnlyCounterModeGetsCounterMode() throws {
        var harness = try Self.pair(clientProfiles: [.aes128CMHMACSHA1_80])
        harness.pump(harness.client.start())
        let serverKeys = try #require(harness.serverKeys)
        #expect(serverKeys.profile == .aes128CMHMACSHA1_80)
        #expect(serverKeys.localMasterSalt.count == 14)
        #expect(harness.clientKeys == serverKeys.mirrored)
    }

    @Test func serverExpectingAnotherCertificateFailsClosed() throws {
        let stranger = try DTLSCertificate()
        var harness = try Self.pair(serverExpects: stranger.fingerprint)
        harness.pump(harness.client.start())
        guard case .failed(let reason) = harness.serverChange else {
            Issue.record("server should fail, got \(String(describing: harness.serverChange))")
            return
        }
        #expect(reason.contains("does not match"))
        // The close_notify sent after the final flight tells the client at once.
        #expect(harness.client.state == .closed)
    }

    @Test func clientExpectingAnotherCertificateFailsClosed() throws {
        let stranger = try DTLSCertificate()
        var harness = try Self.pair(clientExpects: stranger.fingerprint.lowercased())
        harness.pump(harness.client.start())
        #expect(harness.clientKeys == nil)
        #expect(harness.client.state != .connected)
        if case .failed = harness.clientChange {} else { Issue.record("client should fail") }
    }

    @Test(arguments: [DTLSEndpoint.defaultMTU, 256])
    func everyDatagramFitsTheMTU(mtu: Int) throws {
        var harness = try Self.pair(mtu: mtu)
        harness.pump(harness.client.start())
        #expect(harness.clientKeys != nil && harness.serverKeys != nil)
        #expect(harness.sentDatagrams.count >= 4)
        for datagram in harness.sentDatagrams {
            #expect(datagram.count <= mtu)
        }
    }

    @Test func aSmallMTUSplitsFlightsIntoSeveralDatagrams() throws {
        var harness = try Self.pair(mtu: 256)
        harness.pump(harness.client.start())
        // The server's certificate flight and the client's are each over 256 bytes, so both are split.
        let sizes = harness.sentDatagrams.map(\.count)
        #expect(sizes.count >= 6)
        #expect(sizes.filter { $0 == 256 }.count >= 2)
        #expect(harness.serverKeys != nil)
    }

    @Test func droppedFlightIsRecoveredByRetransmission() async throws {
        var harness = try Self.pair(initialRetransmitTimeout: .milliseconds(20))
        var droppedServerFlight = false
        // Lose the server's first flight entirely.
        harness.pump(harness.client.start()) { _, toServer in
            if !toServer {
                droppedServerFlight = true
                return false
            }
            return true
        }
        #expect(droppedServerFlight)
        #expect(harness.clientChange == nil)
        let deadline = try #require(harness.client.retransmitDeadline)
        #expect(deadline <= .milliseconds(20))

        try await Task.sleep(for: deadline + .milliseconds(5))
        let retransmitted = harness.client.handleTimeout()
        #expect(!retransmitted.isEmpty)
        harness.pump(retransmitted)
        #expect(harness.clientKeys != nil)
        #expect(harness.clientKeys == harness.serverKeys?.mirrored)
    }

    @Test func handleTimeoutBeforeTheDeadlineSendsNothing() throws {
        let harness = try Self.pair()
        #expect(harness.client.retransmitDeadline == nil)
        #expect(!harness.client.start().isEmpty)
        #expect(harness.client.retransmitDeadline != nil)
        #expect(harness.client.handleTimeout().isEmpty)
    }

    @Test func closeNotifyClosesBothSides() throws {
        var harness = try Self.pair()
        harness.pump(harness.client.start())
        let alert = harness.client.close()
        #expect(alert.count == 1)
        #expect(harness.client.state == .closed)
        let events = harness.server.receive(alert[0])
        #expect(events.stateChange == .closed)
        #expect(events.datagrams.count == 1)  // its own close_notify in reply
        #expect(harness.server.receive(alert[0]) == DTLSEvents())
    }

    @Test func garbageNeverCrashesAndNeverConnects() throws {
        let harness = try Self.pair()
        var generator = SystemRandomNumberGenerator()
        for length in [1, 13, 14, 25, 100, 1200, 3000] {
            var datagram = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            datagram[0] = 22  // handshake content type, so OpenSSL parses further
            if length > 2 { datagram[1] = 0xFE; datagram[2] = 0xFD }
            let events = harness.server.receive(datagram)
            if case .connected = events.stateChange { Issue.record("garbage connected") }
        }
        #expect(harness.server.state != .connected)
    }

    @Test func malformedFingerprintsAreRefused() throws {
        let certificate = try DTLSCertificate()
        let valid = certificate.fingerprint
        for fingerprint in [
            "", "sha-1 AB:CD", "sha-256", "sha-256 " + valid.dropFirst(8).dropLast(3), "md5 " + valid.dropFirst(8),
            valid + ":00", valid.replacingOccurrences(of: ":", with: ""),
        ] {
            #expect(throws: DTLSError.invalidFingerprint(fingerprint)) {
                try DTLSEndpoint(role: .server, certificate: certificate, remoteFingerprint: fingerprint)
            }
        }
    }
}
