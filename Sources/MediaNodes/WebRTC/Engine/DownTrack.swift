import Metrics
import Platform

/// One subscriber's copy of a published track: the node's own SSRC, payload type, sequence numbers and
/// timestamps (continuous across simulcast switches and publisher reconnects), the simulcast layer it
/// wants, and the packets it sent recently, for its NACKs. Header extensions are not forwarded: the
/// publisher's IDs mean nothing in the subscriber's session (a stale `mid` would misroute the packet).
final class DownTrack {
    let upTrack: UpTrack
    let mid: String
    let ssrc: UInt32
    let payloadType: UInt8
    weak var subscriber: SubscriberConnection?
    /// In the subscriber's answer: packets flow only then.
    var accepted = false
    private(set) var ended = false
    private var rewriter: StreamRewriter
    private var history = PacketHistory()
    private var selector: SimulcastSelector?
    private var currentLayer: Int?
    private static let forwarded = Counter(label: "parley_media_forwarded_packets_total")

    init(upTrack: UpTrack, mid: String, payloadType: UInt8, preference: SimulcastPreference, subscriber: SubscriberConnection) {
        self.upTrack = upTrack
        self.mid = mid
        self.ssrc = UInt32.random(in: 1...UInt32.max)
        self.payloadType = payloadType
        self.subscriber = subscriber
        self.rewriter = StreamRewriter(
            clockRate: upTrack.clockRate, firstSequence: .random(in: 0...UInt16.max), firstTimestamp: .random(in: 0...UInt32.max))
        if upTrack.isSimulcast { selector = SimulcastSelector(rids: upTrack.rids, preference: preference) }
    }

    func end() {
        ended = true
        upTrack.detach(self)
    }

    func setPreference(_ preference: SimulcastPreference) {
        selector?.setPreference(preference)
    }

    /// Forwards one packet of the published track, if this subscriber takes that layer now.
    func forward(_ packet: [UInt8], header: RTPHeader, layer: Int, rid: String?, keyframeStart: Bool, at now: ContinuousClock.Instant) {
        guard accepted, !ended, let subscriber, subscriber.transport.isConnected else { return }
        if var selector, let rid {
            let decision = selector.packetArrived(rid: rid, isKeyframeStart: keyframeStart, at: now)
            for case .requestKeyframe(let wanted) in selector.takeActions() {
                upTrack.requestKeyframe(layer: upTrack.layer(ofRid: wanted), at: now)
            }
            self.selector = selector
            guard case .forward = decision else { return }
        }
        if currentLayer != layer {
            // A new source (layer switch, or the first packet): video waits for a keyframe to start cleanly.
            guard upTrack.kind != .video || keyframeStart else {
                upTrack.requestKeyframe(layer: layer, at: now)
                return
            }
            currentLayer = layer
        }
        guard let position = rewriter.rewrite(ssrc: header.ssrc, sequence: header.sequenceNumber, timestamp: header.timestamp, at: now)
        else { return }
        var outgoing = RTPHeader.makePacket(
            marker: header.marker, payloadType: payloadType, sequenceNumber: position.sequence, timestamp: position.timestamp, ssrc: ssrc,
            payload: packet[header.payloadRange], spareCapacity: SRTPContext.rtpProtectionOverhead)
        guard subscriber.transport.sendRTP(&outgoing) else { return }
        // Kept as sent (encrypted): a NACKed packet goes out again as the very same SRTP packet.
        history.store(outgoing, sequence: position.sequence)
        Self.forwarded.increment()
    }

    /// Resends what the subscriber reports lost (RFC 4585 generic NACK), from the recent history.
    func retransmit(_ sequences: [UInt16], at now: ContinuousClock.Instant) {
        guard let subscriber else { return }
        for packet in history.retransmissions(for: sequences, at: now) { subscriber.transport.resendProtectedRTP(packet) }
    }

    /// The subscriber asked for a keyframe (PLI/FIR), or just started receiving.
    func requestKeyframe(at now: ContinuousClock.Instant) {
        upTrack.requestKeyframe(layer: currentLayer ?? upTrack.layer(ofRid: selector?.currentRid), at: now)
    }
}
