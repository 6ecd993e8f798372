/// The quality a subscriber asks for on a simulcast track; it maps onto the layers the publisher sends:
/// low is the first, high the last, medium the middle one (the lower middle for an even count).
public enum SimulcastPreference: String, Sendable, Equatable {
    case low, medium, high
}

/// What to do with one packet of a simulcast track, for one down track.
enum SimulcastDecision: Sendable, Equatable {
    /// Forward it; `switched` when it is the first packet of a newly selected layer.
    case forward(switched: Bool)
    case drop
}

/// Something a ``SimulcastSelector`` needs done towards the publisher.
enum SimulcastAction: Sendable, Equatable {
    /// Ask the publisher for a keyframe on layer `rid` (so the selector can switch to it).
    case requestKeyframe(rid: String)
}

/// Chooses which simulcast layer one subscriber receives.
///
/// The target is the highest active layer at or below the subscriber's preference (or the lowest active
/// layer when none is); a layer is active while it has sent a packet within ``inactivityTimeout``. When
/// the target differs from the layer forwarded, the selector asks for a keyframe on the target (at most
/// once per ``keyframeRequestInterval`` per layer) and keeps forwarding the current layer until the
/// target's keyframe starts, since a decoder can only pick up a new layer on a keyframe. If the current
/// layer stops, the next keyframe of any layer at or below the preference is taken.
struct SimulcastSelector: Sendable {
    /// One layer the publisher sends.
    private struct Layer: Sendable {
        let rid: String
        var lastPacketAt: ContinuousClock.Instant?
        var lastKeyframeRequestAt: ContinuousClock.Instant?
    }

    static let inactivityTimeout: Duration = .seconds(1)
    static let keyframeRequestInterval: Duration = .milliseconds(500)

    private(set) var preference: SimulcastPreference
    private var layers: [Layer]
    private var currentIndex: Int?
    private var pendingActions: [SimulcastAction] = []

    /// - Parameter rids: the layers' rids, lowest quality first (e.g. `["q", "h", "f"]`).
    init(rids: [String], preference: SimulcastPreference = .high) {
        self.layers = rids.map { Layer(rid: $0) }
        self.preference = preference
    }

    /// The rid of the layer forwarded, `nil` before the first keyframe.
    var currentRid: String? { currentIndex.map { layers[$0].rid } }

    /// Changes the subscriber's preference; the switch happens at the target layer's next keyframe.
    mutating func setPreference(_ preference: SimulcastPreference) {
        self.preference = preference
    }

    /// Decides about a packet of layer `rid` that arrived at `now`; `isKeyframeStart` when it is the first
    /// packet of a keyframe. Unknown rids are dropped.
    mutating func packetArrived(
        rid: String, isKeyframeStart: Bool, at now: ContinuousClock.Instant
    ) -> SimulcastDecision {
        guard let index = layers.firstIndex(where: { $0.rid == rid }) else { return .drop }
        layers[index].lastPacketAt = now
        // Never nil: the layer that just sent a packet is active.
        guard let target = targetIndex(at: now) else { return .drop }
        let decision: SimulcastDecision
        if index == currentIndex {
            decision = .forward(switched: false)
        } else if isKeyframeStart && canSwitch(to: index, target: target, at: now) {
            currentIndex = index
            decision = .forward(switched: true)
        } else {
            decision = .drop
        }
        if target != currentIndex { requestKeyframe(on: target, at: now) }
        return decision
    }

    /// The actions decided since the last call, oldest first.
    mutating func takeActions() -> [SimulcastAction] {
        let actions = pendingActions
        pendingActions = []
        return actions
    }

    /// The layer to forward: the highest active one at or below the preference, else the lowest active.
    private func targetIndex(at now: ContinuousClock.Instant) -> Int? {
        let ceiling = ceilingIndex
        if ceiling >= 0, let index = (0...ceiling).last(where: { isActive($0, at: now) }) { return index }
        return layers.indices.first { isActive($0, at: now) }
    }

    /// The index of the highest layer the preference allows (-1 when there are no layers).
    private var ceilingIndex: Int {
        guard !layers.isEmpty else { return -1 }
        switch preference {
        case .low: return 0
        case .medium: return (layers.count - 1) / 2
        case .high: return layers.count - 1
        }
    }

    /// Whether a keyframe on layer `index` may become the forwarded layer: always for the target; for
    /// another layer the preference allows, only when nothing is being forwarded anymore.
    private func canSwitch(to index: Int, target: Int, at now: ContinuousClock.Instant) -> Bool {
        if index == target { return true }
        let currentStopped = currentIndex.map { !isActive($0, at: now) } ?? true
        return currentStopped && index <= ceilingIndex
    }

    private func isActive(_ index: Int, at now: ContinuousClock.Instant) -> Bool {
        guard let last = layers[index].lastPacketAt else { return false }
        return now - last < Self.inactivityTimeout
    }

    /// Queues a keyframe request for layer `index` unless one went out within the interval.
    private mutating func requestKeyframe(on index: Int, at now: ContinuousClock.Instant) {
        if let last = layers[index].lastKeyframeRequestAt, now - last < Self.keyframeRequestInterval { return }
        layers[index].lastKeyframeRequestAt = now
        pendingActions.append(.requestKeyframe(rid: layers[index].rid))
    }
}
