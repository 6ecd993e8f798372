/// The binary frames of Parley's `audio/x-l16` streams: little-endian signed 16-bit PCM, 20 ms per frame,
/// the two tracks interleaved sample by sample (channel 0 inbound, channel 1 outbound) when both are
/// streamed. Consumers send their audio back the same way, mono.
enum PCM16 {
    /// One binary frame of the streamed tracks (nil: not streamed): either track alone, or both interleaved
    /// (inbound, outbound, inbound, …; they must be the same length).
    static func encodeLittleEndian(inbound: [Int16]?, outbound: [Int16]?) -> [UInt8] {
        switch (inbound, outbound) {
        case (let inbound?, let outbound?):
            precondition(inbound.count == outbound.count, "interleaved tracks differ in length")
            return bytes(channels: 2, frameCount: inbound.count) { output in
                inbound.withUnsafeBufferPointer { inbound in
                    outbound.withUnsafeBufferPointer { outbound in
                        for index in 0..<inbound.count {
                            output.storeBytes(of: inbound[index].littleEndian, toByteOffset: index * 4, as: Int16.self)
                            output.storeBytes(of: outbound[index].littleEndian, toByteOffset: index * 4 + 2, as: Int16.self)
                        }
                    }
                }
            }
        case (let mono?, nil), (nil, let mono?):
            return bytes(channels: 1, frameCount: mono.count) { output in
                mono.withUnsafeBufferPointer { mono in
                    for index in 0..<mono.count {
                        output.storeBytes(of: mono[index].littleEndian, toByteOffset: index * 2, as: Int16.self)
                    }
                }
            }
        case (nil, nil):
            return []
        }
    }

    /// The samples of a consumer's binary frame; nil when it is not a whole number of samples.
    static func decodeLittleEndian(_ frame: UnsafeRawBufferPointer) -> [Int16]? {
        guard frame.count % 2 == 0 else { return nil }
        let count = frame.count / 2
        return [Int16](unsafeUninitializedCapacity: count) { samples, initialized in
            for index in 0..<count {
                samples[index] = Int16(littleEndian: frame.loadUnaligned(fromByteOffset: index * 2, as: Int16.self))
            }
            initialized = count
        }
    }

    /// A byte array of `channels × frameCount` samples, written by `write` without zero-filling it first.
    private static func bytes(channels: Int, frameCount: Int, _ write: (UnsafeMutableRawBufferPointer) -> Void) -> [UInt8] {
        let count = channels * frameCount * 2
        return [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
            write(UnsafeMutableRawBufferPointer(output))
            initialized = count
        }
    }
}
