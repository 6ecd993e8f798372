import Platform

/// A bidirectional stream's voice in the room: the consumer's audio, encoded to Opus 20 ms at a time and
/// fed to a published track of the stream's bot participant, which the SFU forwards to its subscribers like
/// any other track. RTP timestamps follow the stream's clock.
final class BotAudioTrack {
    let upTrack: UpTrack
    private let encoder: OpusAudioEncoder
    private let ssrc = UInt32.random(in: 1...UInt32.max)
    private var sequence = UInt16.random(in: 0...UInt16.max)
    private var started = false
    private let firstTimestamp = UInt32.random(in: 0...UInt32.max)
    /// 20 ms of digital silence, encoded once: a bot that has nothing to say costs no encoding.
    private let silence: [UInt8]

    /// Opus's RTP clock is 48 kHz whatever the encoder's input rate.
    private static let timestampsPerFrame: UInt32 = 960

    init(track: SID, participant: SID, room: MediaRoom, sampleRate: Int) throws {
        encoder = try OpusAudioEncoder(sampleRate: sampleRate)
        silence = try encoder.encode([Int16](repeating: 0, count: sampleRate / 50))
        let codec = NegotiatedCodec(
            name: "opus", payloadType: SubscribePayloadTypes.opus, clockRate: 48000, channels: 2,
            formatParameters: "minptime=10;useinbandfec=1")
        var ssrcs = OfferedSSRCs()
        ssrcs.all = [ssrc]
        let media = NegotiatedMedia(
            mid: "0", kind: .audio, accepted: true, direction: .recvonly, codec: codec, rtxPayloadType: nil,
            headerExtensions: [], ssrcs: ssrcs, rids: [], msid: nil)
        upTrack = UpTrack(sid: track, kind: .audio, publisher: participant, media: media, codec: codec, room: room)
    }

    /// Plays one 20 ms frame at tick `tick` of the stream's clock; silence when the consumer has sent nothing.
    /// The bot always sends, as a phone leg does, so subscribers hear silences at their true length.
    func play(_ frame: [Int16]?, tick: UInt64, at now: ContinuousClock.Instant) {
        guard let payload = frame.map({ try? encoder.encode($0) }) ?? silence else { return }
        let timestamp = firstTimestamp &+ UInt32(truncatingIfNeeded: tick) &* Self.timestampsPerFrame
        let packet = RTPHeader.makePacket(
            marker: !started, payloadType: SubscribePayloadTypes.opus, sequenceNumber: sequence, timestamp: timestamp, ssrc: ssrc,
            payload: payload)
        started = true
        sequence &+= 1
        guard let header = try? RTPHeader(parsing: packet) else { return }
        upTrack.receive(packet, header: header, layer: 0, extensions: HeaderExtensionIDs(), at: now)
    }
}
