/// The client-to-mixer audio level of an RTP packet (RFC 6464 §3): a voice activity flag and the
/// level in -dBov, 0 the loudest and 127 silence. The SFU uses it for dominant-speaker detection.
struct AudioLevel: Sendable, Equatable {
    let voiceActivity: Bool
    /// The level's magnitude in dB below overload: 0...127.
    let level: UInt8

    /// A level; values above 127 are clamped to 127 (silence).
    init(voiceActivity: Bool, level: UInt8) {
        self.voiceActivity = voiceActivity
        self.level = min(level, 127)
    }

    /// Reads the extension element's value: the first byte holds the flag and level; nil when empty.
    init?(extensionValue: ArraySlice<UInt8>) {
        guard let byte = extensionValue.first else { return nil }
        self.init(voiceActivity: byte & 0x80 != 0, level: byte & 0x7F)
    }

    /// The element's one-byte value.
    var byte: UInt8 {
        (voiceActivity ? 0x80 : 0) | level
    }
}
