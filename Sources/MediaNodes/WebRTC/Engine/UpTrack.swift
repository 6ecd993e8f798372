import Platform

/// A published track as the SFU forwards it: its codec, its simulcast layers (one when not simulcast) and
/// their SSRCs, its subscribers' ``DownTrack``s, loss detection towards the publisher, and keyframe
/// requests (throttled) on the subscribers' behalf.
final class UpTrack {
    let sid: SID
    let kind: TrackKind
    let publisher: SID
    let media: NegotiatedMedia
    unowned let room: MediaRoom
    weak var publisherConnection: PublisherConnection?
    private(set) var downTracks: [DownTrack] = []
    /// Layer rids, low to high (empty: not simulcast).
    let rids: [String]
    private var layerSSRCs: [Int: UInt32] = [:]
    private var lossDetectors: [UInt32: LossDetector] = [:]
    private var keyframes = KeyframeRequester()
    /// Media streams listening to this (audio) track, if any.
    var audioTap: TrackAudioTap?

    /// The negotiated codec (an accepted section always has one).
    let codec: NegotiatedCodec
    /// The SSRCs the offer announced, one per layer (low to high), without their repair streams.
    let announcedSSRCs: [UInt32]

    init(sid: SID, kind: TrackKind, publisher: SID, media: NegotiatedMedia, codec: NegotiatedCodec, room: MediaRoom) {
        self.sid = sid
        self.kind = kind
        self.publisher = publisher
        self.media = media
        self.codec = codec
        self.room = room
        self.rids = media.rids
        self.announcedSSRCs = media.ssrcs.simulcast.isEmpty ? Array(media.ssrcs.media.prefix(1)) : media.ssrcs.simulcast
        for (layer, ssrc) in announcedSSRCs.enumerated() { layerSSRCs[layer] = ssrc }
    }

    var payloadType: UInt8 { codec.payloadType }
    var repairPayloadType: UInt8? { media.rtxPayloadType }
    var clockRate: UInt32 { codec.clockRate }
    var isSimulcast: Bool { rids.count > 1 }
    var knownSSRCs: [UInt32] { Array(layerSSRCs.values) }

    func carries(payloadType: UInt8) -> Bool {
        payloadType == self.payloadType || payloadType == repairPayloadType
    }

    func layer(ofRid rid: String?) -> Int {
        rid.flatMap { rids.firstIndex(of: $0) } ?? 0
    }

    func ssrc(ofLayer layer: Int) -> UInt32 {
        layerSSRCs[layer] ?? 0
    }

    func learn(ssrc: UInt32, layer: Int) {
        layerSSRCs[layer] = ssrc
    }

    func attach(_ down: DownTrack) {
        downTracks.append(down)
    }

    func detach(_ down: DownTrack) {
        downTracks.removeAll { $0 === down }
    }

    /// One decrypted packet of `layer`: loss bookkeeping, the room's speaker detection, then every subscriber.
    func receive(_ packet: [UInt8], header: RTPHeader, layer: Int, extensions: HeaderExtensionIDs, at now: ContinuousClock.Instant) {
        lossDetectors[header.ssrc, default: LossDetector()].received(sequence: header.sequenceNumber, at: now)
        let keyframeStart: Bool
        switch kind {
        case .video: keyframeStart = Self.startsKeyframe(packet, header: header, codec: codec.name)
        default: keyframeStart = true
        }
        if kind == .audio, let id = extensions.audioLevel, let value = header.extensionValue(id: id, in: packet),
           let level = AudioLevel(extensionValue: value) {
            room.audioLevel(of: publisher, level: level.level, voice: level.voiceActivity, at: now)
        }
        if let audioTap, header.payloadType == payloadType {
            audioTap.receive(packet[header.payloadRange], sequenceNumber: header.sequenceNumber)
        }
        for down in downTracks {
            down.forward(packet, header: header, layer: layer, rid: rids.isEmpty ? nil : rids[min(layer, rids.count - 1)],
                         keyframeStart: keyframeStart, at: now)
        }
    }

    /// Whether a video packet starts a keyframe (where a subscriber may start or switch layers).
    private static func startsKeyframe(_ packet: [UInt8], header: RTPHeader, codec: String) -> Bool {
        switch codec.lowercased() {
        case "vp8": (try? VP8PayloadDescriptor(parsing: packet, payload: header.payloadRange))?.isKeyframeStart ?? false
        case "h264": (try? H264PayloadInfo(parsing: header.payload(in: packet)))?.isKeyframe ?? false
        default: false
        }
    }

    /// Asks the publisher for a keyframe of `layer` (at most one per 300 ms per SSRC).
    func requestKeyframe(layer: Int, at now: ContinuousClock.Instant) {
        guard kind == .video, let ssrc = layerSSRCs[layer], keyframes.shouldRequest(ssrc: ssrc, at: now) else { return }
        publisherConnection?.requestKeyframe(ssrc: ssrc)
    }

    /// Sequence numbers to NACK now, per SSRC.
    func dueRetransmissionRequests(at now: ContinuousClock.Instant) -> [(UInt32, [UInt16])] {
        guard codec.feedback.contains(where: { $0.type == "nack" && $0.parameter == nil }) else { return [] }
        var due: [(UInt32, [UInt16])] = []
        for ssrc in Array(lossDetectors.keys) {
            let lost = lossDetectors[ssrc]?.due(at: now) ?? []
            if !lost.isEmpty { due.append((ssrc, lost)) }
        }
        return due
    }
}
