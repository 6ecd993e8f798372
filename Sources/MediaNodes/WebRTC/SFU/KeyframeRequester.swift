/// Throttles the keyframe requests (PLI or FIR) the SFU sends a publisher: every subscriber that joins or
/// switches layer wants a keyframe, but one request per source is enough until the publisher has had
/// time to answer.
struct KeyframeRequester: Sendable {
    /// At most one request per source SSRC in this interval.
    static let minimumInterval: Duration = .milliseconds(300)
    /// Past this many sources remembered, the ones whose interval is over are forgotten, so the table
    /// stays as small as the number of sources requested recently.
    private static let pruneThreshold = 64

    private var lastRequestAt: [UInt32: ContinuousClock.Instant] = [:]

    init() {}

    /// Whether to send a keyframe request for source `ssrc` now; `true` also counts as the request sent.
    mutating func shouldRequest(ssrc: UInt32, at now: ContinuousClock.Instant) -> Bool {
        if let last = lastRequestAt[ssrc], now - last < Self.minimumInterval { return false }
        if lastRequestAt.count >= Self.pruneThreshold {
            lastRequestAt = lastRequestAt.filter { now - $0.value < Self.minimumInterval }
        }
        lastRequestAt[ssrc] = now
        return true
    }
}
