/// Standard base64 (RFC 4648 §4, with padding), written straight into a byte buffer: the payload of every
/// media message, 50 times a second per stream, without Foundation's `Data` and `String` round trip.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The encoded length of `byteCount` bytes.
    static func encodedCount(of byteCount: Int) -> Int { (byteCount + 2) / 3 * 4 }

    /// Appends the base64 text of `bytes` to `output`.
    static func append(_ bytes: [UInt8], to output: inout [UInt8]) {
        let start = output.count
        output.append(contentsOf: repeatElement(UInt8(ascii: "="), count: encodedCount(of: bytes.count)))
        output.withUnsafeMutableBufferPointer { output in
            alphabet.withUnsafeBufferPointer { alphabet in
                bytes.withUnsafeBufferPointer { input in
                    var read = 0
                    var write = start
                    // Whole groups of three bytes become four characters.
                    while read + 3 <= input.count {
                        let group = UInt32(input[read]) << 16 | UInt32(input[read + 1]) << 8 | UInt32(input[read + 2])
                        output[write] = alphabet[Int(group >> 18)]
                        output[write + 1] = alphabet[Int(group >> 12 & 0x3F)]
                        output[write + 2] = alphabet[Int(group >> 6 & 0x3F)]
                        output[write + 3] = alphabet[Int(group & 0x3F)]
                        read += 3
                        write += 4
                    }
                    // One or two bytes left: two or three characters, the rest stays "=" padding.
                    let left = input.count - read
                    guard left > 0 else { return }
                    let group = UInt32(input[read]) << 16 | (left == 2 ? UInt32(input[read + 1]) << 8 : 0)
                    output[write] = alphabet[Int(group >> 18)]
                    output[write + 1] = alphabet[Int(group >> 12 & 0x3F)]
                    if left == 2 { output[write + 2] = alphabet[Int(group >> 6 & 0x3F)] }
                }
            }
        }
    }
}
