import Crypto
import Foundation

/// `X-Twilio-Signature`, the header Twilio puts on every webhook and status callback, computed exactly
/// as Twilio does so receivers can keep using the SDKs' `RequestValidator`.
///
/// The URL is signed as given: receivers validate against the URL they were called on, so it must be
/// the one configured by the user, byte for byte (no added or removed port, no re-encoding).
public enum TwilioSignature {
    /// The signature of a form-encoded POST; a GET, whose parameters are in the URL, passes none.
    ///
    /// base64(HMAC-SHA1(auth token, URL followed by `name` + `value` for each parameter)), with the
    /// parameters in ascending order of name, then of value, and a repeated name/value pair counted once.
    public static func sign(url: String, formParameters: [(String, String)], authToken: String) -> String {
        var mac = HMAC<Insecure.SHA1>(key: SymmetricKey(data: Array(authToken.utf8)))
        mac.update(data: Array(url.utf8))
        // Sorting pairs by (name, value) and dropping repeats yields the SDK's order: distinct names
        // sorted, each followed by its distinct values sorted. Bytes, not `String`s: UTF-8 byte order is
        // the code point order Python sorts by, and `String`'s `==` would merge "é" with "e\u{301}".
        let pairs = formParameters
            .map { (Array($0.0.utf8), Array($0.1.utf8)) }
            .sorted { $0.0 == $1.0 ? $0.1.lexicographicallyPrecedes($1.1) : $0.0.lexicographicallyPrecedes($1.0) }
        for (index, pair) in pairs.enumerated() where index == 0 || pairs[index - 1] != pair {
            mac.update(data: pair.0)
            mac.update(data: pair.1)
        }
        return Data(mac.finalize()).base64EncodedString()
    }

    /// The signature of a JSON-bodied webhook: the body's SHA-256 goes into the URL's query as
    /// `bodySHA256=<lowercase hex>`, and that URL is signed with no parameters.
    ///
    /// - Returns: the URL to request (`signedURL`) and its `X-Twilio-Signature`.
    public static func sign(url: String, jsonBody: [UInt8], authToken: String) -> (signedURL: String, signature: String) {
        let signedURL = url + (url.contains("?") ? "&" : "?") + "bodySHA256=" + hexSHA256(jsonBody)
        return (signedURL, sign(url: signedURL, formParameters: [], authToken: authToken))
    }

    /// `true` when `signature` is the one ``sign(url:formParameters:authToken:)`` computes.
    public static func isValid(
        signature: String, url: String, formParameters: [(String, String)], authToken: String
    ) -> Bool {
        ConstantTime.equals(sign(url: url, formParameters: formParameters, authToken: authToken).utf8, signature.utf8)
    }

    /// `true` when `url`, as requested, carries the `bodySHA256` of `jsonBody` and `signature` signs it.
    /// Stricter than the SDK, which accepts a URL without `bodySHA256`.
    public static func isValid(signature: String, url: String, jsonBody: [UInt8], authToken: String) -> Bool {
        guard let queryStart = url.firstIndex(of: "?"),
            let claimed = url[url.index(after: queryStart)...].split(separator: "&")
                .first(where: { $0.hasPrefix("bodySHA256=") })?.dropFirst("bodySHA256=".count)
        else { return false }
        let bodyMatches = ConstantTime.equals(claimed.utf8, hexSHA256(jsonBody).utf8)
        let signatureMatches = isValid(signature: signature, url: url, formParameters: [], authToken: authToken)
        return bodyMatches && signatureMatches
    }

    private static func hexSHA256(_ bytes: [UInt8]) -> String {
        Hex.encode(SHA256.hash(data: bytes))
    }
}
