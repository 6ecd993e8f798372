/// The per-packet cost of libsrtp2 alone, as the node pays it for every packet it forwards (one
/// unprotect per packet in, one protect per packet out), for both DTLS-SRTP profiles. Everything runs
/// in this process through ``SRTPContext``, so the figures include its in-place array handling.
public enum SRTPBenchmark {
    /// Median nanoseconds per packet for one profile.
    public struct Result: Sendable, CustomStringConvertible {
        public var profile: String
        public var protectNanoseconds: Double
        public var unprotectNanoseconds: Double

        public var description: String {
            "\(profile): protect \(LoadReport.format(protectNanoseconds, 0)) ns, unprotect "
                + "\(LoadReport.format(unprotectNanoseconds, 0)) ns, both \(LoadReport.format(protectNanoseconds + unprotectNanoseconds, 0)) ns per packet"
        }
    }

    /// Runs `runs` rounds of `packets` packets of `packetSize` bytes (RTP header included) per profile.
    /// A round times protect alone, then protect followed by unprotect; unprotect's cost is the difference.
    public static func run(packets: Int, packetSize: Int, runs: Int) throws -> [Result] {
        let clock = ContinuousClock()
        var results: [Result] = []
        for profile in SRTPProfile.allCases {
            var protectTimes: [Double] = []
            var bothTimes: [Double] = []
            for _ in 0..<runs {
                let keys = randomKeys(profile)
                // Fresh sessions per pass, so the receiver starts where its sender does (rollover counter 0).
                let sender = try SRTPContext(keyingMaterial: keys)
                var packet = template(size: packetSize)
                let protectStart = clock.now
                for index in 0..<packets {
                    stamp(&packet, index: index, size: packetSize)
                    try sender.protectRTP(&packet)
                }
                protectTimes.append(nanosecondsPerPacket(protectStart.duration(to: clock.now), packets))
                let (pairedSender, receiver) = (try SRTPContext(keyingMaterial: keys), try SRTPContext(keyingMaterial: keys.mirrored))
                let bothStart = clock.now
                for index in 0..<packets {
                    stamp(&packet, index: index, size: packetSize)
                    try pairedSender.protectRTP(&packet)
                    try receiver.unprotectRTP(&packet)
                }
                bothTimes.append(nanosecondsPerPacket(bothStart.duration(to: clock.now), packets))
            }
            let protect = median(protectTimes)
            results.append(Result(profile: profile.openSSLName, protectNanoseconds: protect, unprotectNanoseconds: median(bothTimes) - protect))
        }
        return results
    }

    private static func randomKeys(_ profile: SRTPProfile) -> SRTPKeyingMaterial {
        func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in .random(in: 0...255) } }
        return SRTPKeyingMaterial(
            profile: profile, localMasterKey: bytes(profile.masterKeyLength), localMasterSalt: bytes(profile.masterSaltLength),
            remoteMasterKey: bytes(profile.masterKeyLength), remoteMasterSalt: bytes(profile.masterSaltLength))
    }

    private static func template(size: Int) -> [UInt8] {
        RTPHeader.makePacket(
            payloadType: 111, sequenceNumber: 0, timestamp: 0, ssrc: 0x1234_5678, payload: [UInt8](repeating: 0x5A, count: max(size - 12, 0)))
    }

    /// Restores the plain packet (protect encrypted it in place and appended its tag) with the next
    /// sequence number and timestamp.
    private static func stamp(_ packet: inout [UInt8], index: Int, size: Int) {
        if packet.count > size { packet.removeLast(packet.count - size) }
        let sequence = UInt16(truncatingIfNeeded: index)
        packet[2] = UInt8(sequence >> 8)
        packet[3] = UInt8(truncatingIfNeeded: sequence)
        let timestamp = UInt32(truncatingIfNeeded: index &* 960)
        for byte in 0..<4 { packet[4 + byte] = UInt8(truncatingIfNeeded: timestamp >> (24 - 8 * UInt32(byte))) }
    }

    private static func nanosecondsPerPacket(_ duration: Duration, _ packets: Int) -> Double {
        (Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9) / Double(max(packets, 1))
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
