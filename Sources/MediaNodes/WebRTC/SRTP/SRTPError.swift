import CSRTP

/// A libsrtp2 failure, named after its `srtp_err_status_t` (e.g. `srtp_err_status_auth_fail`).
struct SRTPError: Error, Hashable, CustomStringConvertible {
    /// The raw `srtp_err_status_t` value.
    let status: UInt32

    init(_ status: srtp_err_status_t) {
        self.status = status.rawValue
    }

    /// The packet failed authentication (tampered, or keyed differently).
    static let authFail = SRTPError(srtp_err_status_auth_fail)
    /// The packet index was already seen (a replay, or a duplicate).
    static let replayFail = SRTPError(srtp_err_status_replay_fail)
    /// The packet index is older than the replay window.
    static let replayOld = SRTPError(srtp_err_status_replay_old)
    /// The packet is too short or its header does not parse.
    static let parseError = SRTPError(srtp_err_status_parse_err)
    /// A parameter (length, policy) was refused.
    static let badParam = SRTPError(srtp_err_status_bad_param)

    /// The libsrtp2 status name without its prefix, e.g. "auth_fail".
    var name: String {
        Self.names[Int(status)] ?? "status_\(status)"
    }

    var description: String { "srtp_err_status_\(name)" }

    /// `srtp_err_status_t` names by value (srtp.h, libsrtp 2.5).
    private static let names: [Int: String] = [
        1: "fail", 2: "bad_param", 3: "alloc_fail", 4: "dealloc_fail", 5: "init_fail", 6: "terminus",
        7: "auth_fail", 8: "cipher_fail", 9: "replay_fail", 10: "replay_old", 11: "algo_fail", 12: "no_such_op",
        13: "no_ctx", 14: "cant_check", 15: "key_expired", 16: "socket_err", 17: "signal_err", 18: "nonce_bad",
        19: "read_fail", 20: "write_fail", 21: "parse_err", 22: "encode_err", 23: "semaphore_err", 24: "pfkey_err",
        25: "bad_mki", 26: "pkt_idx_old", 27: "pkt_idx_adv",
    ]
}
