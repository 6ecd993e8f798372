import COpus
import Testing

@testable import MediaNodes

@Suite struct OpusCodecTests {
    /// Encodes half a second of a 440 Hz tone at `inputRate` in 20 ms frames and decodes it at `outputRate`.
    private func roundTrip(inputRate: Int, outputRate: Int) throws -> (input: [Int16], output: [Int16]) {
        let encoder = try OpusAudioEncoder(sampleRate: inputRate)
        let decoder = try OpusAudioDecoder(sampleRate: outputRate)
        let input = TestTone.sine(frequency: 440, sampleRate: inputRate, count: inputRate / 2)
        var output: [Int16] = []
        for start in stride(from: 0, to: input.count, by: encoder.frameSampleCount) {
            let packet = try encoder.encode(Array(input[start..<start + encoder.frameSampleCount]))
            #expect(packet.count > 0 && packet.count < 200)
            let decoded = try decoder.decode(packet[...], appendingTo: &output)
            #expect(decoded == outputRate / 50)
        }
        return (input, output)
    }

    @Test(arguments: [(8000, 8000), (16000, 16000), (16000, 48000), (48000, 24000)])
    func aToneKeepsItsPitchAndLevel(inputRate: Int, outputRate: Int) throws {
        let (input, output) = try roundTrip(inputRate: inputRate, outputRate: outputRate)
        #expect(output.count == outputRate / 2)
        // The first 100 ms hold the codec's delay and ramp-up.
        let settled = output[(outputRate / 10)...]
        let candidates: [Double] = [220, 330, 440, 550, 660, 880, 1000]
        #expect(TestTone.dominantFrequency(of: settled, among: candidates, sampleRate: outputRate) == 440)
        let ratio = TestTone.rms(of: settled) / TestTone.rms(of: input[...])
        #expect(ratio > 0.8 && ratio < 1.25, "level ratio \(ratio)")
    }

    @Test func lossConcealmentReturnsTheRequestedDuration() throws {
        let decoder = try OpusAudioDecoder(sampleRate: 16000)
        #expect(try decoder.concealLoss(sampleCount: 320).count == 320)
        let encoder = try OpusAudioEncoder(sampleRate: 16000)
        let tone = TestTone.sine(frequency: 440, sampleRate: 16000, count: 320)
        for _ in 0..<5 { _ = try decoder.decode(try encoder.encode(tone)[...]) }
        var output: [Int16] = [7]
        try decoder.concealLoss(sampleCount: 960, appendingTo: &output)
        #expect(output.count == 961)
        #expect(output[0] == 7)
        // Concealing a tone continues it rather than going silent at once.
        #expect(TestTone.rms(of: output[1...320]) > 1000)
    }

    @Test func lossRecoveryBeforeAPacketReturnsTheRequestedDuration() throws {
        let encoder = try OpusAudioEncoder(sampleRate: 16000)
        let decoder = try OpusAudioDecoder(sampleRate: 16000)
        let tone = TestTone.sine(frequency: 440, sampleRate: 16000, count: 320)
        _ = try decoder.decode(try encoder.encode(tone)[...])
        let next = try encoder.encode(tone)
        var output: [Int16] = []
        try decoder.recoverLoss(sampleCount: 640, before: next[...], appendingTo: &output)
        #expect(output.count == 640)
    }

    @Test func aCorruptPacketThrowsAndLeavesTheOutputAlone() throws {
        let decoder = try OpusAudioDecoder(sampleRate: 8000)
        var output: [Int16] = [1, 2]
        // Code 3 (a frame count follows) with a count of zero frames.
        #expect(throws: OpusError(code: OPUS_INVALID_PACKET)) { try decoder.decode([0x03, 0x00][...], appendingTo: &output) }
        #expect(throws: OpusError(code: OPUS_INVALID_PACKET)) { try decoder.decode([][...], appendingTo: &output) }
        #expect(output == [1, 2])
    }

    @Test func aFrameOfTheWrongLengthIsRefused() throws {
        let encoder = try OpusAudioEncoder(sampleRate: 16000)
        #expect(throws: OpusError(code: OPUS_BAD_ARG)) { try encoder.encode([Int16](repeating: 0, count: 160)) }
    }

    @Test func anUnsupportedRateIsRefusedWithLibopusText() {
        #expect(throws: OpusError.self) { try OpusAudioDecoder(sampleRate: 44100) }
        #expect(throws: OpusError.self) { try OpusAudioEncoder(sampleRate: 22050) }
        let error = OpusError(code: OPUS_BAD_ARG)
        #expect(error.message == "invalid argument")
        #expect(error.description == "opus error -1: invalid argument")
    }

    @Test func encodingAppendsAfterWhatIsAlreadyThere() throws {
        let encoder = try OpusAudioEncoder(sampleRate: 8000)
        var packet: [UInt8] = [0xAA, 0xBB]
        let size = try encoder.encode(TestTone.sine(frequency: 440, sampleRate: 8000, count: 160), appendingTo: &packet)
        #expect(packet.count == 2 + size)
        #expect(packet[..<2] == [0xAA, 0xBB])
    }
}
