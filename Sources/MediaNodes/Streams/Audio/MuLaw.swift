/// ITU-T G.711 μ-law, the 8-bit telephone encoding of Twilio's Media Streams (`audio/x-mulaw`).
///
/// Encoding computes the segment from the magnitude's highest set bit (a few instructions, no 64 KiB table
/// competing for the cache); decoding is a 256-entry table lookup.
enum MuLaw {
    /// Added to the magnitude before encoding so that every segment starts on a power of two.
    private static let bias: Int32 = 0x84
    /// The largest magnitude encoded as it is; louder samples encode as the loudest code.
    private static let clip: Int32 = 32635

    /// The μ-law code of one linear sample.
    @inline(__always)
    static func encode(_ sample: Int16) -> UInt8 {
        let value = Int32(sample)
        let sign: Int32 = value < 0 ? 0x80 : 0
        let magnitude = min(abs(value), clip) + bias
        // magnitude is in 0x84...0x7FFF, so its highest bit is bit 7...14: segment 0...7.
        let exponent = Int32(31 - UInt32(magnitude).leadingZeroBitCount) - 7
        let mantissa = (magnitude >> (exponent + 3)) & 0x0F
        // Codes go out inverted (G.711), so silence is 0xFF rather than a run of zero bits on the line.
        return ~UInt8(truncatingIfNeeded: sign | exponent << 4 | mantissa)
    }

    /// The linear sample a μ-law code stands for (the middle of its quantisation step).
    @inline(__always)
    static func decode(_ code: UInt8) -> Int16 {
        decodeTable[Int(code)]
    }

    /// Every code's linear value.
    static let decodeTable: [Int16] = (0...255).map { computeDecode(UInt8($0)) }

    private static func computeDecode(_ code: UInt8) -> Int16 {
        let bits = Int32(~code)
        let exponent = (bits >> 4) & 0x07
        let mantissa = bits & 0x0F
        let magnitude = (((mantissa << 3) + bias) << exponent) - bias
        return Int16(bits & 0x80 != 0 ? -magnitude : magnitude)
    }

    /// Appends the μ-law codes of `samples` to `codes`.
    static func encode(_ samples: [Int16], appendingTo codes: inout [UInt8]) {
        let start = codes.count
        codes.append(contentsOf: repeatElement(0, count: samples.count))
        codes.withUnsafeMutableBufferPointer { output in
            samples.withUnsafeBufferPointer { input in
                for index in 0..<input.count { output[start + index] = encode(input[index]) }
            }
        }
    }

    /// The linear samples of μ-law `codes`.
    static func decode(_ codes: [UInt8]) -> [Int16] {
        decodeTable.withUnsafeBufferPointer { table in
            codes.withUnsafeBufferPointer { input in
                [Int16](unsafeUninitializedCapacity: input.count) { output, initialized in
                    for index in 0..<input.count { output[index] = table[Int(input[index])] }
                    initialized = input.count
                }
            }
        }
    }
}
