import Foundation
import Platform
import Testing

@Suite struct SecretBoxTests {
    static let keyA = [UInt8](repeating: 7, count: 32)
    static let keyB = (0..<32).map { UInt8($0) }
    /// HMAC-SHA256(key: 32 × 0x07, "parley master key check v1"), computed independently (Python's hmac).
    /// Databases store this value, so it must never change for a given key.
    static let fingerprintOfKeyA = "d273b860baf36dd5e57f7babd8ace8fe13787cf85b1d11591f15a9916fdd4738"

    @Test func sealThenOpenRoundTrips() throws {
        let box = try SecretBox(keyBytes: Self.keyA)
        for secret in ["", "0123456789abcdef0123456789abcdef", "ünïcødé ✓", String(repeating: "x", count: 10_000)] {
            let sealed = try box.seal(secret, context: "AC0123456789abcdef0123456789abcdef")
            #expect(try box.open(sealed, context: "AC0123456789abcdef0123456789abcdef") == secret)
            // nonce (12) ‖ ciphertext ‖ tag (16)
            #expect(sealed.count == 12 + secret.utf8.count + 16)
        }
    }

    @Test func sealedValueDoesNotRevealTheSecretAndIsRandomised() throws {
        let box = try SecretBox(keyBytes: Self.keyA)
        let secret = "correct horse battery staple 42"
        let first = try box.seal(secret, context: "row")
        let second = try box.seal(secret, context: "row")
        #expect(first != second)
        #expect(first.range(of: Data(secret.utf8)) == nil)
    }

    @Test func openingWithAnotherContextFails() throws {
        let box = try SecretBox(keyBytes: Self.keyA)
        let sealed = try box.seal("token", context: "AC00000000000000000000000000000001")
        #expect(throws: (any Error).self) { try box.open(sealed, context: "AC00000000000000000000000000000002") }
        #expect(throws: (any Error).self) { try box.open(sealed, context: "") }
    }

    @Test func openingWithAnotherKeyFails() throws {
        let sealed = try SecretBox(keyBytes: Self.keyA).seal("token", context: "row")
        let other = try SecretBox(keyBytes: Self.keyB)
        #expect(throws: (any Error).self) { try other.open(sealed, context: "row") }
    }

    @Test func anyTamperedByteFails() throws {
        let box = try SecretBox(keyBytes: Self.keyA)
        let sealed = try box.seal("a secret", context: "row")
        for index in sealed.indices {
            var tampered = sealed
            tampered[index] ^= 0x01
            #expect(throws: (any Error).self, "byte \(index)") { try box.open(tampered, context: "row") }
        }
        #expect(throws: (any Error).self) { try box.open(sealed.dropLast(), context: "row") }
        #expect(throws: (any Error).self) { try box.open(Data(), context: "row") }
        #expect(throws: (any Error).self) { try box.open(Data(count: 5), context: "row") }
    }

    @Test(arguments: [0, 1, 16, 31, 33, 64])
    func wrongKeyLengthThrows(_ length: Int) {
        #expect {
            try SecretBox(keyBytes: [UInt8](repeating: 1, count: length))
        } throws: { error in
            guard case SecretBoxError.wrongKeyLength(let bytes) = error else { return false }
            return bytes == length
        }
    }

    @Test func fingerprintIsStableAndDiffersPerKey() throws {
        let a = try SecretBox(keyBytes: Self.keyA)
        #expect(a.fingerprint == (try SecretBox(keyBytes: Self.keyA)).fingerprint)
        #expect(a.fingerprint == Self.fingerprintOfKeyA)
        #expect(a.fingerprint != (try SecretBox(keyBytes: Self.keyB)).fingerprint)
        #expect(a.fingerprint.count == 64)
        // It must not be the key itself.
        #expect(!a.fingerprint.contains(String(repeating: "07", count: 8)))
    }
}
