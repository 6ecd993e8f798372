/// An ICE username fragment and password (RFC 8445 §5.3, `a=ice-ufrag` / `a=ice-pwd` in SDP).
struct ICECredentials: Hashable, Sendable {
    var ufrag: String
    var password: String

    init(ufrag: String, password: String) {
        self.ufrag = ufrag
        self.password = password
    }

    /// The ice-char alphabet of RFC 8839 §5.4: ALPHA / DIGIT / "+" / "/".
    static let iceCharacters: [Character] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// Fresh credentials: an 8-character ufrag (RFC 8839 wants at least 4) and a 24-character password
    /// (at least 22, i.e. 128 bits), from the system's cryptographically secure generator.
    static func random() -> ICECredentials {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// Credentials drawn from `generator` (tests pass a seeded one).
    static func random<Generator: RandomNumberGenerator>(using generator: inout Generator) -> ICECredentials {
        ICECredentials(ufrag: randomString(length: 8, using: &generator), password: randomString(length: 24, using: &generator))
    }

    /// `length` uniformly drawn ice-chars.
    private static func randomString<Generator: RandomNumberGenerator>(length: Int, using generator: inout Generator) -> String {
        String((0..<length).map { _ in iceCharacters[Int.random(in: 0..<iceCharacters.count, using: &generator)] })
    }
}
