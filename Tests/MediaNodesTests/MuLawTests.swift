import Testing

@testable import MediaNodes

@Suite struct MuLawTests {
    @Test func silenceEncodesToAllOnes() {
        #expect(MuLaw.encode(0) == 0xFF)
        var codes: [UInt8] = []
        MuLaw.encode([Int16](repeating: 0, count: 160), appendingTo: &codes)
        #expect(codes == [UInt8](repeating: 0xFF, count: 160))
    }

    @Test func knownCodePoints() {
        #expect(MuLaw.decode(0x00) == -32124)
        #expect(MuLaw.decode(0x80) == 32124)
        #expect(MuLaw.decode(0xFF) == 0)
        #expect(MuLaw.decode(0x7F) == 0)
        #expect(MuLaw.decode(0xF0) == 120)
        #expect(MuLaw.decode(0x70) == -120)
        #expect(MuLaw.encode(.max) == 0x80)
        #expect(MuLaw.encode(.min) == 0x00)
        #expect(MuLaw.encode(-1) == 0x7F)
        #expect(MuLaw.encode(120) == 0xF0)
    }

    /// Every sample comes back within half a quantisation step of its segment (the step is 1/16 of the
    /// segment's base, so half a step is at most (|x| + bias) / 32); beyond the clip level, as the loudest code.
    @Test func everySampleRoundTripsWithinTheQuantisationError() {
        for value in Int32(Int16.min)...Int32(Int16.max) {
            let sample = Int16(value)
            let decoded = Int32(MuLaw.decode(MuLaw.encode(sample)))
            if abs(value) <= 32635 {
                #expect(abs(decoded - value) <= (abs(value) + 0x84) / 32, "sample \(value) came back as \(decoded)")
            } else {
                #expect(decoded == (value < 0 ? -32124 : 32124))
            }
        }
    }

    @Test func everyCodeSurvivesDecodingAndEncodingAgain() {
        for code in UInt8.min...UInt8.max where code != 0x7F {
            #expect(MuLaw.encode(MuLaw.decode(code)) == code)
        }
        // Negative zero decodes to plain zero, which encodes as positive zero.
        #expect(MuLaw.encode(MuLaw.decode(0x7F)) == 0xFF)
    }

    @Test func bulkEncodingAppendsWhatSingleSamplesEncodeTo() {
        let samples: [Int16] = stride(from: -32768, through: 32767, by: 97).map { Int16($0) }
        var codes: [UInt8] = [0x42]
        MuLaw.encode(samples, appendingTo: &codes)
        #expect(codes == [0x42] + samples.map(MuLaw.encode))
    }

    @Test func bulkDecodingMatchesSingleCodes() {
        let codes = Array(UInt8.min...UInt8.max)
        #expect(MuLaw.decode(codes) == codes.map(MuLaw.decode))
        #expect(MuLaw.decode([]).isEmpty)
    }
}
