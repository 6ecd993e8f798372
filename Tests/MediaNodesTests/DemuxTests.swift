import Testing

@testable import MediaNodes

@Suite struct DemuxTests {
    @Test func classifiesByTheFirstByteAsRFC7983Says() {
        #expect(DatagramKind.classify([0x00, 0x01, 0x00, 0x00]) == .stun)
        #expect(DatagramKind.classify([0x01, 0x01]) == .stun)
        #expect(DatagramKind.classify([22, 0xFE, 0xFD]) == .dtls)  // handshake record, DTLS 1.2
        #expect(DatagramKind.classify([63]) == .dtls)
        #expect(DatagramKind.classify([16, 0, 0]) == .unknown)  // ZRTP
        #expect(DatagramKind.classify([64, 0, 0, 4]) == .unknown)  // TURN channel
        #expect(DatagramKind.classify([]) == .unknown)
        #expect(DatagramKind.classify([0xC0] + [UInt8](repeating: 0, count: 11)) == .unknown)  // version 3
    }

    @Test func tellsRTCPFromRTPByTheSecondByte() {
        let rtcpTypes: [UInt8] = [192, 200, 201, 205, 206, 223]
        for type in rtcpTypes {
            #expect(DatagramKind.classify([0x81, type, 0, 1, 0, 0, 0, 1]) == .rtcp)
        }
        let rtp: [UInt8] = [0x80, 0x60] + [UInt8](repeating: 0, count: 10)  // PT 96
        #expect(DatagramKind.classify(rtp) == .rtp)
        var markedRTP = rtp
        markedRTP[1] = 0xE0  // marker + PT 96 is 224, just past the RTCP range
        #expect(DatagramKind.classify(markedRTP) == .rtp)
        markedRTP[1] = 0xBF  // marker + PT 63 is 191, just before it
        #expect(DatagramKind.classify(markedRTP) == .rtp)
    }

    @Test func refusesDatagramsTooShortForTheirKind() {
        #expect(DatagramKind.classify([0x80]) == .unknown)
        #expect(DatagramKind.classify([0x80, 0xC8, 0, 0]) == .unknown)
        #expect(DatagramKind.classify([0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0]) == .unknown)  // 11-byte RTP
        #expect(DatagramKind.classify([0x80, 0xC9, 0, 1, 0, 0, 0, 1]) == .rtcp)
    }
}
