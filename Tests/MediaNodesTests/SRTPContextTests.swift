import Testing

@testable import MediaNodes

@Suite struct SRTPContextTests {
    /// Random keying material for `profile`, as one side sees it.
    private static func keys(_ profile: SRTPProfile) -> SRTPKeyingMaterial {
        func random(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255) } }
        return SRTPKeyingMaterial(
            profile: profile, localMasterKey: random(16), localMasterSalt: random(profile.masterSaltLength),
            remoteMasterKey: random(16), remoteMasterSalt: random(profile.masterSaltLength))
    }

    /// A sender and the receiver keyed with the mirrored material.
    private static func pair(_ profile: SRTPProfile) throws -> (sender: SRTPContext, receiver: SRTPContext) {
        let material = keys(profile)
        return (try SRTPContext(keyingMaterial: material), try SRTPContext(keyingMaterial: material.mirrored))
    }

    /// A minimal RTP packet: V=2, PT 96, the sequence number, a timestamp, SSRC and a payload.
    private static func rtp(sequence: UInt16, ssrc: UInt32 = 0x1234_5678, payload: Int = 160) -> [UInt8] {
        var packet: [UInt8] = [0x80, 96]
        packet.appendUInt16(sequence)
        packet.appendUInt32(UInt32(sequence) &* 960)
        packet.appendUInt32(ssrc)
        packet += (0..<payload).map { UInt8(truncatingIfNeeded: $0) }
        return packet
    }

    /// A receiver report with one report block (RFC 3550 §6.4.2).
    private static let receiverReport: [UInt8] = {
        var packet: [UInt8] = [0x81, 201]
        packet.appendUInt16(7)
        packet.appendUInt32(0xCAFE_F00D)
        packet += (0..<24).map { UInt8($0) }
        return packet
    }()

    private static func tagLength(_ profile: SRTPProfile) -> Int {
        profile == .aeadAES128GCM ? 16 : 10
    }

    @Test(arguments: SRTPProfile.allCases)
    func rtpRoundTrips(profile: SRTPProfile) throws {
        let (sender, receiver) = try Self.pair(profile)
        let original = Self.rtp(sequence: 1)
        var packet = original
        try sender.protectRTP(&packet)
        #expect(packet.count == original.count + Self.tagLength(profile))
        #expect(packet[..<12] == original[..<12])  // the header stays in the clear
        #expect(packet[12..<original.count] != original[12...])
        try receiver.unprotectRTP(&packet)
        #expect(packet == original)
    }

    @Test(arguments: SRTPProfile.allCases)
    func rtcpRoundTrips(profile: SRTPProfile) throws {
        let (sender, receiver) = try Self.pair(profile)
        var packet = Self.receiverReport
        try sender.protectRTCP(&packet)
        #expect(packet.count == Self.receiverReport.count + 4 + Self.tagLength(profile))  // SRTCP index + tag
        try receiver.unprotectRTCP(&packet)
        #expect(packet == Self.receiverReport)

        var replayed = Self.receiverReport
        try sender.protectRTCP(&replayed)
        var again = replayed
        try receiver.unprotectRTCP(&replayed)
        #expect(throws: SRTPError.replayFail) { try receiver.unprotectRTCP(&again) }
    }

    @Test(arguments: SRTPProfile.allCases)
    func tamperedPacketsFailAuthentication(profile: SRTPProfile) throws {
        let (sender, receiver) = try Self.pair(profile)
        var packet = Self.rtp(sequence: 10)
        try sender.protectRTP(&packet)
        packet[20] ^= 0x01
        let protectedCount = packet.count
        #expect(throws: SRTPError.authFail) { try receiver.unprotectRTP(&packet) }
        #expect(packet.count == protectedCount)

        var report = Self.receiverReport
        try sender.protectRTCP(&report)
        report[4] ^= 0x80
        #expect(throws: SRTPError.authFail) { try receiver.unprotectRTCP(&report) }
    }

    @Test func packetsFromAnotherKeyFailAuthentication() throws {
        let (sender, _) = try Self.pair(.aeadAES128GCM)
        let (_, stranger) = try Self.pair(.aeadAES128GCM)
        var packet = Self.rtp(sequence: 1)
        try sender.protectRTP(&packet)
        #expect(throws: SRTPError.authFail) { try stranger.unprotectRTP(&packet) }
    }

    @Test func theSamePacketTwiceIsAReplay() throws {
        let (sender, receiver) = try Self.pair(.aeadAES128GCM)
        var packet = Self.rtp(sequence: 5)
        try sender.protectRTP(&packet)
        var copy = packet
        try receiver.unprotectRTP(&packet)
        #expect(throws: SRTPError.replayFail) { try receiver.unprotectRTP(&copy) }
    }

    @Test(arguments: SRTPProfile.allCases)
    func replayWindowSpans1024Packets(profile: SRTPProfile) throws {
        let (sender, receiver) = try Self.pair(profile)
        // Protected in order, as a sender would; delivered newest first.
        var old = Self.rtp(sequence: 1000)
        var late = Self.rtp(sequence: 2300)
        var newest = Self.rtp(sequence: 2500)
        try sender.protectRTP(&old)
        try sender.protectRTP(&late)
        try sender.protectRTP(&newest)

        try receiver.unprotectRTP(&newest)
        try receiver.unprotectRTP(&late)  // 200 behind: inside the window
        #expect(late == Self.rtp(sequence: 2300))
        #expect(throws: SRTPError.replayOld) { try receiver.unprotectRTP(&old) }  // 1500 behind
    }

    @Test func senderMayReprotectTheSamePacketForRetransmission() throws {
        let (sender, receiver) = try Self.pair(.aes128CMHMACSHA1_80)
        var first = Self.rtp(sequence: 77)
        var resent = first
        try sender.protectRTP(&first)
        try sender.protectRTP(&resent)
        #expect(resent == first)
        try receiver.unprotectRTP(&first)
    }

    @Test func shortAndGarbagePacketsAreErrorsNotCrashes() throws {
        let (sender, receiver) = try Self.pair(.aeadAES128GCM)
        var empty: [UInt8] = []
        #expect(throws: SRTPError.parseError) { try sender.protectRTP(&empty) }
        #expect(throws: SRTPError.parseError) { try receiver.unprotectRTCP(&empty) }
        for length in [12, 13, 20, 27, 28, 40, 200] {
            for _ in 0..<20 {
                var garbage = (0..<length).map { _ in UInt8.random(in: 0...255) }
                garbage[0] = 0x80 | (garbage[0] & 0x3F)
                var rtcpGarbage = garbage
                #expect(throws: SRTPError.self) { try receiver.unprotectRTP(&garbage) }
                #expect(throws: SRTPError.self) { try receiver.unprotectRTCP(&rtcpGarbage) }
            }
        }
    }

    @Test func keysOfTheWrongLengthAreRefused() {
        var material = Self.keys(.aeadAES128GCM)
        material.localMasterSalt = [1, 2, 3]
        #expect(throws: SRTPError.badParam) { try SRTPContext(keyingMaterial: material) }
    }

    @Test func errorsAreNamedAfterLibsrtp() {
        #expect(SRTPError.authFail.description == "srtp_err_status_auth_fail")
        #expect(SRTPError.replayOld.name == "replay_old")
    }

    @Test func keyingMaterialDescriptionHidesTheKeys() {
        let material = Self.keys(.aeadAES128GCM)
        #expect(material.description == "SRTPKeyingMaterial(aeadAES128GCM, keys redacted)")
        #expect("\(material)" == material.description)
    }
}
