import Crypto
import Foundation

/// Encrypts secrets at rest (auth tokens, API key secrets) with AES-256-GCM.
///
/// Each ciphertext is bound to the row it belongs to through GCM's additional authenticated data,
/// so a sealed secret copied onto another row fails to open.
public struct SecretBox: Sendable {
    private let key: SymmetricKey

    /// - Parameter keyBytes: exactly 32 bytes.
    public init(keyBytes: some ContiguousBytes) throws {
        let key = SymmetricKey(data: keyBytes)
        guard key.bitCount == 256 else { throw SecretBoxError.wrongKeyLength(key.bitCount / 8) }
        self.key = key
    }

    /// Seals `secret` for the row identified by `context` (nonce ‖ ciphertext ‖ tag).
    public func seal(_ secret: String, context: String) throws -> Data {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key, authenticating: Data(context.utf8))
        return box.combined!  // non-nil for the default 12-byte nonce
    }

    /// Opens a value produced by ``seal(_:context:)`` with the same `context`.
    public func open(_ sealed: Data, context: String) throws -> String {
        let box = try AES.GCM.SealedBox(combined: sealed)
        let plain = try AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
        return String(decoding: plain, as: UTF8.self)
    }

    /// A value that identifies the key without revealing it; stored in the database so a gateway
    /// started with a different master key fails loudly instead of rejecting every credential.
    public var fingerprint: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("parley master key check v1".utf8), using: key)
        return Hex.encode(mac)
    }
}

public enum SecretBoxError: Error, CustomStringConvertible {
    case wrongKeyLength(Int)

    public var description: String {
        switch self {
        case .wrongKeyLength(let bytes): "the master key must be 32 bytes, got \(bytes)"
        }
    }
}
