import Foundation

/// Sine tones and their measurement, for the audio codec tests.
enum TestTone {
    /// `count` samples of a sine of `frequency` Hz at `sampleRate`, peak `amplitude`.
    static func sine(frequency: Double, sampleRate: Int, count: Int, amplitude: Double = 10_000) -> [Int16] {
        (0..<count).map { index in
            Int16(amplitude * sin(2 * Double.pi * frequency * Double(index) / Double(sampleRate)))
        }
    }

    /// The signal's power at `frequency` (Goertzel's algorithm), normalised by its length.
    static func power(of samples: ArraySlice<Int16>, at frequency: Double, sampleRate: Int) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / Double(sampleRate))
        var previous = 0.0
        var beforePrevious = 0.0
        for sample in samples {
            let current = Double(sample) + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
        return power / Double(samples.count * samples.count)
    }

    /// Of `candidates`, the frequency with the most power in `samples`.
    static func dominantFrequency(of samples: ArraySlice<Int16>, among candidates: [Double], sampleRate: Int) -> Double? {
        candidates.max { power(of: samples, at: $0, sampleRate: sampleRate) < power(of: samples, at: $1, sampleRate: sampleRate) }
    }

    /// The root mean square level.
    static func rms(of samples: ArraySlice<Int16>) -> Double {
        let sum = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (sum / Double(samples.count)).squareRoot()
    }
}
