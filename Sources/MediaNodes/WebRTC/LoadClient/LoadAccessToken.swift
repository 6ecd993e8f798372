import Crypto
import Foundation

/// Mints the Twilio-style access tokens the load generator presents to `POST /media/v1/Tickets`: HS256
/// JWTs with `cty: twilio-fpa;v=1`, issued by an API key (`iss`) for its account (`sub`), granting an
/// identity and one video room — what twilio-python's `AccessToken` with a `VideoGrant` makes.
struct LoadAccessToken {
    let accountSID: String
    let apiKeySID: String
    let apiKeySecret: String
    /// Generous: a run's setup takes seconds, but tokens are minted up front.
    static let lifetime: TimeInterval = 3600

    /// A signed token for `identity` in `room`.
    func mint(identity: String, room: String, now: Date = Date()) throws -> String {
        let issuedAt = Int(now.timeIntervalSince1970)
        let header: [String: Any] = ["alg": "HS256", "typ": "JWT", "cty": "twilio-fpa;v=1"]
        let payload: [String: Any] = [
            "jti": "\(apiKeySID)-\(issuedAt)-\(UInt32.random(in: 0...UInt32.max))",
            "iss": apiKeySID, "sub": accountSID, "iat": issuedAt, "exp": issuedAt + Int(Self.lifetime),
            "grants": ["identity": identity, "video": ["room": room]],
        ]
        let signingInput = try Self.base64URL(JSONSerialization.data(withJSONObject: header))
            + "." + Self.base64URL(JSONSerialization.data(withJSONObject: payload))
        let key = SymmetricKey(data: Data(apiKeySecret.utf8))
        let signature = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: key)
        return signingInput + "." + Self.base64URL(Data(signature))
    }

    /// RFC 7515's base64url without padding.
    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
