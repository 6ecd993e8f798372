import Foundation

/// Unpadded base64url (RFC 4648 §5), as JWTs and join tickets use it.
public enum Base64URL {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes `text` spells, or `nil`. Padding, `+`/`/` and non-zero trailing bits are refused (the
    /// result is re-encoded and compared), so a value has exactly one valid spelling.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), encode(data) == String(text) else { return nil }
        return Array(data)
    }
}
