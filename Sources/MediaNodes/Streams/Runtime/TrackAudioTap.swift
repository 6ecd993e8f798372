/// A published audio track as media streams hear it: its Opus packets decoded once per output rate and
/// handed to every stream buffer listening at that rate. Lives on its ``UpTrack`` (engine loop only), so it
/// goes away with the track.
final class TrackAudioTap {
    private struct Rate {
        var decoder: OpusTrackDecoder
        var listeners: [PacedAudioBuffer]
    }

    private var rates: [Int: Rate] = [:]

    var isEmpty: Bool { rates.isEmpty }

    /// Starts feeding `buffer` with this track's audio at `sampleRate`.
    func attach(_ buffer: PacedAudioBuffer, sampleRate: Int) throws {
        if rates[sampleRate] == nil { rates[sampleRate] = Rate(decoder: try OpusTrackDecoder(sampleRate: sampleRate), listeners: []) }
        rates[sampleRate]!.listeners.append(buffer)
    }

    func detach(_ buffer: PacedAudioBuffer) {
        for (rate, entry) in rates {
            let remaining = entry.listeners.filter { $0 !== buffer }
            rates[rate] = remaining.isEmpty ? nil : Rate(decoder: entry.decoder, listeners: remaining)
        }
    }

    /// One Opus payload of the track, in arrival order.
    func receive(_ payload: ArraySlice<UInt8>, sequenceNumber: UInt16) {
        for entry in rates.values {
            let samples = entry.decoder.decode(payload, sequenceNumber: sequenceNumber)
            for listener in entry.listeners { listener.append(samples) }
        }
    }
}
