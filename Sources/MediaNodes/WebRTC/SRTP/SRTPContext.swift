import CSRTP

/// libsrtp2 must be initialised once per process before any session exists. A global `let` is
/// initialised lazily and exactly once, whichever thread gets there first.
private let srtpLibraryInitialisation: srtp_err_status_t = srtp_init()

/// SRTP and SRTCP protection for one DTLS association: an outbound libsrtp2 session keyed with our
/// master key (any SSRC we send) and an inbound one keyed with the peer's (any SSRC it sends).
///
/// Not thread-safe: libsrtp2 sessions are single-threaded, so an instance is confined to the event
/// loop that owns its transport, like the ``DTLSEndpoint`` it was keyed by.
///
/// Every method transforms the packet in place. On failure the packet keeps its original length but
/// its bytes are unspecified: drop it.
final class SRTPContext {
    /// Replay window in packets. libsrtp2's default of 128 is too small for video: a NACK-recovered
    /// packet or a reordered burst arrives well over 128 packets behind the newest at high bitrates.
    static let replayWindowSize = 1024

    /// Spare bytes libsrtp2 may write past an RTP packet (tag and MKI); reserving this much capacity
    /// (plus 4 for RTCP, see ``rtcpProtectionOverhead``) before protecting avoids the array's regrowth.
    static let rtpProtectionOverhead = Int(SRTP_MAX_TAG_LEN) + Int(SRTP_MAX_MKI_LEN)
    /// Spare bytes for SRTCP: the trailer plus the 4-byte E flag and SRTCP index.
    static let rtcpProtectionOverhead = rtpProtectionOverhead + 4

    /// RFC 3550: the fixed RTP header is 12 bytes, an RTCP header 8 (SR/RR with the sender's SSRC).
    private static let minimumRTPLength = 12
    private static let minimumRTCPLength = 8
    /// Lengths travel to libsrtp2 as `Int32`; nothing on UDP comes close to this anyway.
    private static let maximumPacketLength = 65_536

    let profile: SRTPProfile
    private let outbound: srtp_t
    private let inbound: srtp_t

    /// Creates both sessions from DTLS-SRTP keying material.
    init(keyingMaterial: SRTPKeyingMaterial) throws(SRTPError) {
        guard srtpLibraryInitialisation == srtp_err_status_ok else { throw SRTPError(srtpLibraryInitialisation) }
        let profile = keyingMaterial.profile
        self.profile = profile
        outbound = try Self.makeSession(
            ssrcType: ssrc_any_outbound, profile: profile, masterKey: keyingMaterial.localMasterKey,
            masterSalt: keyingMaterial.localMasterSalt)
        do {
            inbound = try Self.makeSession(
                ssrcType: ssrc_any_inbound, profile: profile, masterKey: keyingMaterial.remoteMasterKey,
                masterSalt: keyingMaterial.remoteMasterSalt)
        } catch {
            srtp_dealloc(outbound)  // deinit does not run for a half-initialised object
            throw error
        }
    }

    deinit {
        srtp_dealloc(outbound)
        srtp_dealloc(inbound)
    }

    /// Encrypts and authenticates an outgoing RTP packet. Re-protecting a sequence number already sent
    /// (a NACK retransmission of the same packet) is allowed.
    func protectRTP(_ packet: inout [UInt8]) throws(SRTPError) {
        let session = outbound
        try transform(&packet, minimumLength: Self.minimumRTPLength, spareBytes: Self.rtpProtectionOverhead) {
            srtp_protect(session, $0, &$1)
        }
    }

    /// Authenticates, replay-checks and decrypts an incoming SRTP packet.
    func unprotectRTP(_ packet: inout [UInt8]) throws(SRTPError) {
        let session = inbound
        try transform(&packet, minimumLength: Self.minimumRTPLength, spareBytes: 0) {
            srtp_unprotect(session, $0, &$1)
        }
    }

    /// Encrypts and authenticates an outgoing (compound) RTCP packet.
    func protectRTCP(_ packet: inout [UInt8]) throws(SRTPError) {
        let session = outbound
        try transform(&packet, minimumLength: Self.minimumRTCPLength, spareBytes: Self.rtcpProtectionOverhead) {
            srtp_protect_rtcp(session, $0, &$1)
        }
    }

    /// Authenticates, replay-checks and decrypts an incoming SRTCP packet.
    func unprotectRTCP(_ packet: inout [UInt8]) throws(SRTPError) {
        let session = inbound
        try transform(&packet, minimumLength: Self.minimumRTCPLength, spareBytes: 0) {
            srtp_unprotect_rtcp(session, $0, &$1)
        }
    }

    /// Runs one libsrtp2 operation in place: grows the array by the spare bytes the operation may write,
    /// then trims it to the length libsrtp2 reports. The closure is non-escaping, so nothing is allocated
    /// beyond that growth.
    private func transform(
        _ packet: inout [UInt8], minimumLength: Int, spareBytes: Int,
        _ operation: (UnsafeMutableRawPointer, inout Int32) -> srtp_err_status_t
    ) throws(SRTPError) {
        let originalCount = packet.count
        guard originalCount >= minimumLength else { throw .parseError }
        guard originalCount <= Self.maximumPacketLength else { throw .badParam }
        if spareBytes > 0 { packet.append(contentsOf: repeatElement(0, count: spareBytes)) }
        var length = Int32(originalCount)
        let status = packet.withUnsafeMutableBytes { bytes in
            // Never nil: the array holds at least `minimumLength` bytes.
            operation(bytes.baseAddress!, &length)
        }
        let newCount = status == srtp_err_status_ok ? Int(length) : originalCount
        packet.removeLast(packet.count - min(max(newCount, 0), packet.count))
        guard status == srtp_err_status_ok else { throw SRTPError(status) }
    }

    /// Creates one libsrtp2 session for every SSRC of one direction.
    private static func makeSession(
        ssrcType: srtp_ssrc_type_t, profile: SRTPProfile, masterKey: [UInt8], masterSalt: [UInt8]
    ) throws(SRTPError) -> srtp_t {
        guard masterKey.count == profile.masterKeyLength, masterSalt.count == profile.masterSaltLength else {
            throw .badParam
        }
        var policy = srtp_policy_t()
        switch profile {
        case .aeadAES128GCM:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
        case .aes128CMHMACSHA1_80:
            srtp_crypto_policy_set_rtp_default(&policy.rtp)
            srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        }
        policy.ssrc = srtp_ssrc_t(type: ssrcType, value: 0)
        policy.window_size = UInt(replayWindowSize)
        // Only the sender may repeat an index, and only to resend identical bytes (RTX-less NACK repair).
        policy.allow_repeat_tx = ssrcType == ssrc_any_outbound ? 1 : 0
        policy.next = nil
        // libsrtp2 reads key || salt as one buffer and copies it into the session.
        var keyAndSalt = masterKey + masterSalt
        var session: srtp_t?
        let status = keyAndSalt.withUnsafeMutableBufferPointer { buffer in
            policy.key = buffer.baseAddress
            return srtp_create(&session, &policy)
        }
        guard status == srtp_err_status_ok, let session else { throw SRTPError(status) }
        return session
    }
}
