import Crypto
import Foundation

/// Signing per the Standard Webhooks specification (https://www.standardwebhooks.com), symmetric scheme:
/// `v1` signatures, base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}")).
public enum StandardWebhooks {
    /// The `webhook-id`, `webhook-timestamp` and `webhook-signature` headers of one delivery attempt.
    ///
    /// The signature header lists one `v1,<base64>` per secret, space-separated, so receivers keep
    /// verifying while a secret is rotated.
    /// - Parameters:
    ///   - id: the message's identifier, the same on every attempt (receivers deduplicate by it); no `.`,
    ///     which delimits the signed content.
    ///   - timestamp: seconds since 1970 of this attempt (receivers reject stale ones).
    ///   - body: exactly the bytes sent.
    ///   - secrets: at least one.
    public static func headers(id: String, timestamp: Int, body: [UInt8], secrets: [WebhookSecret]) -> [(String, String)] {
        precondition(!secrets.isEmpty, "a webhook needs at least one signing secret")
        precondition(!id.contains("."), "a webhook id must not contain '.'")
        let signatures = secrets.map { secret in
            "v1," + Data(signature(id: id, timestamp: timestamp, body: body, secret: secret)).base64EncodedString()
        }
        return [
            ("webhook-id", id),
            ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signatures.joined(separator: " ")),
        ]
    }

    /// Checks a delivery as a receiver does: all three headers present (names in any case), the timestamp
    /// within `tolerance` of `now` either way, and at least one `v1` signature made with `secret`.
    /// - Parameter now: seconds since 1970.
    public static func verify(
        headers: [(String, String)], body: [UInt8], secret: WebhookSecret, now: Int,
        tolerance: Duration = .seconds(5 * 60)
    ) throws(StandardWebhooksError) {
        func header(_ name: String) throws(StandardWebhooksError) -> String {
            guard let value = headers.first(where: { $0.0.lowercased() == name })?.1, !value.isEmpty else {
                throw .missingHeader(name)
            }
            return value
        }
        let id = try header("webhook-id")
        let timestampText = try header("webhook-timestamp")
        let signatures = try header("webhook-signature")
        guard let timestamp = Int(timestampText) else { throw .invalidTimestamp(timestampText) }
        let slack = Int(tolerance.components.seconds)
        if timestamp < now - slack { throw .timestampTooOld }
        if timestamp > now + slack { throw .timestampTooNew }

        let expected = signature(id: id, timestamp: timestamp, body: body, secret: secret)
        for entry in signatures.split(separator: " ") {
            let parts = entry.split(separator: ",", maxSplits: 1)
            // Other schemes (`v1a`, future versions) and undecodable entries are skipped, not errors.
            guard parts.count == 2, parts[0] == "v1", let candidate = Data(base64Encoded: String(parts[1])) else {
                continue
            }
            if ConstantTime.equals(candidate, expected) { return }
        }
        throw .noMatchingSignature
    }

    private static func signature(id: String, timestamp: Int, body: [UInt8], secret: WebhookSecret) -> [UInt8] {
        var mac = HMAC<SHA256>(key: secret.key)
        mac.update(data: Array("\(id).\(timestamp).".utf8))
        mac.update(data: body)
        return Array(mac.finalize())
    }
}

public enum StandardWebhooksError: Error, Equatable, CustomStringConvertible {
    case missingHeader(String)
    case invalidTimestamp(String)
    case timestampTooOld
    case timestampTooNew
    case noMatchingSignature

    public var description: String {
        switch self {
        case .missingHeader(let name): "the \(name) header is missing"
        case .invalidTimestamp(let text): "webhook-timestamp is not whole seconds since 1970: \(text)"
        case .timestampTooOld: "webhook-timestamp is too old"
        case .timestampTooNew: "webhook-timestamp is too far in the future"
        case .noMatchingSignature: "no webhook-signature matches the secret"
        }
    }
}

/// A Standard Webhooks signing secret, serialized as `whsec_` + base64 of the key bytes.
///
/// The serialized form is shown to the user once; everywhere else (logs, `print`, `dump`) it reads as
/// redacted.
public struct WebhookSecret: Sendable, CustomStringConvertible, CustomReflectable {
    private static let prefix = "whsec_"
    let key: SymmetricKey

    /// A new random secret of 32 bytes (the spec asks for 24 to 64) from the system CSPRNG.
    public static func generate() -> WebhookSecret {
        var generator = SystemRandomNumberGenerator()
        // Four draws (getrandom calls) of eight bytes each.
        let bytes = (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } }
        return WebhookSecret(key: SymmetricKey(data: bytes))
    }

    private init(key: SymmetricKey) {
        self.key = key
    }

    /// Parses a serialized secret, with or without the `whsec_` prefix. Missing base64 padding is
    /// accepted, as the official Python library does.
    public init(parsing text: String) throws(WebhookSecretError) {
        var encoded = text.hasPrefix(Self.prefix) ? String(text.dropFirst(Self.prefix.count)) : text
        encoded += String(repeating: "=", count: (4 - encoded.utf8.count % 4) % 4)
        // Foundation decodes some malformed input ("====" as one zero byte), so only canonical base64,
        // which re-encodes to itself, is accepted.
        guard let bytes = Data(base64Encoded: encoded), bytes.base64EncodedString() == encoded else {
            throw .invalidBase64
        }
        guard !bytes.isEmpty else { throw .empty }
        key = SymmetricKey(data: bytes)
    }

    /// The full secret, `whsec_…`: for the one response that hands it to the user, and for storage.
    public var serialized: String {
        Self.prefix + key.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    public var description: String { "WebhookSecret(redacted)" }

    public var customMirror: Mirror { Mirror(self, children: []) }
}

public enum WebhookSecretError: Error, Equatable, CustomStringConvertible {
    case empty
    case invalidBase64

    public var description: String {
        switch self {
        case .empty: "the webhook secret is empty"
        case .invalidBase64: "the webhook secret is not base64 (expected whsec_ followed by base64)"
        }
    }
}
