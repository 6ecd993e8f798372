/// Decodes one published Opus track, packet by packet in arrival order, to PCM at one sample rate.
///
/// The SFU forwards packets as they come, so this is where order and loss are dealt with, cheaply and
/// without a jitter buffer (the consumer's ``PacedAudioBuffer`` absorbs timing): a late or duplicate packet
/// is dropped (its slot was already played or filled in); a small gap is filled before the next packet with
/// libopus's loss recovery (in-band FEC for the last lost frame when the publisher sends it, concealment
/// for the rest), so the audio keeps its length; a bigger jump either way (a publisher restart, or a loss too
/// long to be worth inventing audio for) only resynchronises.
final class OpusTrackDecoder {
    /// The most lost packets filled in before the next one.
    static let maximumRecoveredPackets = 5
    /// How far behind the latest packet one may be and still count as late rather than as a restarted
    /// sequence (2 s of 20 ms packets): otherwise a restart behind the old numbers would be dropped as late
    /// for up to half the sequence space.
    static let maximumLateness: UInt16 = 100

    let sampleRate: Int
    private let decoder: OpusAudioDecoder
    private var lastSequenceNumber: UInt16?
    /// The duration of the latest decoded packet, taken as the duration of each lost one.
    private var packetSampleCount: Int
    /// Returned by ``decode(_:sequenceNumber:)`` and overwritten by the next call: reused when the caller
    /// let go of it.
    private var samples: [Int16] = []

    /// Packets that came after a newer one (or twice), and were dropped.
    private(set) var latePackets = 0
    /// Lost packets filled in by loss recovery.
    private(set) var recoveredPackets = 0
    /// Packets libopus could not decode (concealed instead).
    private(set) var undecodablePackets = 0

    /// - Throws: ``OpusError`` for a rate libopus does not decode to.
    init(sampleRate: Int) throws {
        self.sampleRate = sampleRate
        self.decoder = try OpusAudioDecoder(sampleRate: sampleRate)
        self.packetSampleCount = sampleRate / 50
    }

    /// Takes the next arriving packet of the track and returns the audio it brings, any lost audio before it
    /// filled in first (empty for a dropped packet).
    ///
    /// The array is this decoder's own and is overwritten by the next call; let go of it before then and
    /// nothing is allocated once it has grown to a packet's size.
    func decode(_ payload: ArraySlice<UInt8>, sequenceNumber: UInt16) -> [Int16] {
        samples.removeAll(keepingCapacity: true)
        if let last = lastSequenceNumber {
            if !RTPSequence.isNewer(sequenceNumber, than: last), last &- sequenceNumber <= Self.maximumLateness {
                latePackets += 1
                return samples
            }
            let lost = Int(sequenceNumber &- last) - 1
            if lost >= 1, lost <= Self.maximumRecoveredPackets { recover(lostPackets: lost, before: payload) }
        }
        lastSequenceNumber = sequenceNumber
        do {
            packetSampleCount = try decoder.decode(payload, appendingTo: &samples)
        } catch {
            // Concealed rather than skipped, so the audio after it keeps its timing.
            undecodablePackets += 1
            try? decoder.concealLoss(sampleCount: packetSampleCount, appendingTo: &samples)
        }
        return samples
    }

    private func recover(lostPackets: Int, before payload: ArraySlice<UInt8>) {
        let sampleCount = lostPackets * packetSampleCount
        do {
            try decoder.recoverLoss(sampleCount: sampleCount, before: payload, appendingTo: &samples)
        } catch {
            // The next packet is unreadable, so it has no FEC to offer: plain concealment.
            try? decoder.concealLoss(sampleCount: sampleCount, appendingTo: &samples)
        }
        recoveredPackets += lostPackets
    }
}
