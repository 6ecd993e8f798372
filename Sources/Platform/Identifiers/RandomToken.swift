/// Random strings for identifiers and secrets, drawn from the system CSPRNG (`getrandom` on Linux).
public enum RandomToken {
    private static let alphanumerics = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// `byteCount` random bytes as lowercase hex (`2 * byteCount` characters).
    public static func hex(byteCount: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var word: UInt64 = 0
        let bytes = (0..<byteCount).map { index -> UInt8 in
            // One draw from the generator (a getrandom call) yields eight bytes.
            if index % 8 == 0 { word = generator.next() }
            return UInt8(truncatingIfNeeded: word >> (8 * UInt64(index % 8)))
        }
        return Hex.encode(bytes)
    }

    /// `length` random characters from `[0-9A-Za-z]` (about 5.95 bits each), the shape of Twilio API key secrets.
    public static func alphanumeric(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let chars = (0..<length).map { _ in alphanumerics.randomElement(using: &generator)! }
        return String(decoding: chars, as: UTF8.self)
    }
}
