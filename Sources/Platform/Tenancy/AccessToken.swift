import Crypto
import Foundation
import Logging

/// What a verified Twilio access token says: who signed it, for which account, and what it grants.
///
/// Tokens are the JWTs twilio-python's `AccessToken` mints (HS256, `cty: twilio-fpa;v=1`), signed with an
/// API key's secret. ``AccessTokenVerifier`` produces these only after checking the signature.
public struct AccessTokenClaims: Sendable, Equatable {
    /// The account the token acts for (`sub`).
    public var accountSid: SID
    /// The API key that signed it (`iss`).
    public var keySid: SID
    /// `grants.identity`: the client's name in video rooms and chats.
    public var identity: String?
    /// `grants.video`; `nil` when the token grants no video.
    public var videoGrant: VideoGrant?
    /// Whether `grants.chat` is present.
    public var chatGrant: Bool
    /// `exp`.
    public var expiresAt: Date

    /// Access to video rooms.
    public struct VideoGrant: Sendable, Equatable {
        /// The one room the token may join (a unique name or an `RM…` SID); `nil` for any room.
        public var room: String?

        public init(room: String?) { self.room = room }
    }

    public init(accountSid: SID, keySid: SID, identity: String?, videoGrant: VideoGrant?, chatGrant: Bool, expiresAt: Date) {
        self.accountSid = accountSid
        self.keySid = keySid
        self.identity = identity
        self.videoGrant = videoGrant
        self.chatGrant = chatGrant
        self.expiresAt = expiresAt
    }
}

/// Checks Twilio access tokens: the signature (with the secret of the API key in `iss`), the dates, that
/// the key belongs to the account in `sub`, the grants' shape, and that the account (and its parent) is active.
///
/// Every failure is a 401 ``APIError`` with Twilio's code (20101–20107, or 20005 for an inactive account).
/// Nothing about the account or the token's dates is revealed before the signature has been checked.
public struct AccessTokenVerifier: Sendable {
    private let database: Database
    private let secrets: SecretBox
    private let clockSkew: Duration

    /// - Parameter clockSkew: how far `exp` and `nbf` may be off from our clock; none by default.
    public init(database: Database, secrets: SecretBox, clockSkew: Duration = .seconds(0)) {
        self.database = database
        self.secrets = secrets
        self.clockSkew = clockSkew
    }

    /// The claims of `token`, or the ``APIError`` saying why it is refused.
    public func verify(_ token: String, now: Date = .now, logger: Logger) async throws -> AccessTokenClaims {
        let token = try SignedToken(token)
        try token.checkHeader()
        guard let keySid = (token.payload["iss"] as? String).flatMap({ SID($0, prefix: .apiKey) }) else {
            throw APIError.invalidAccessTokenIssuer("iss must be an API key SID (SK…)")
        }
        guard let accountSid = (token.payload["sub"] as? String).flatMap({ SID($0, prefix: .account) }) else {
            throw APIError.invalidAccessTokenIssuer("sub must be an account SID (AC…)")
        }
        guard let key = try await StoredCredential.lookUp(keySid, in: database, logger: logger) else {
            throw APIError.invalidAccessTokenIssuer("the API key does not exist")
        }
        guard token.isSigned(with: try key.openSecret(with: secrets)) else { throw APIError.invalidAccessTokenSignature }
        guard key.account == accountSid else {
            throw APIError.invalidAccessTokenIssuer("the API key does not belong to the account in sub")
        }

        let skew = clockSkew.seconds
        guard let expiresAt = token.date("exp") else { throw APIError.accessTokenExpired("exp must be a number") }
        guard expiresAt.timeIntervalSince(now) > -skew else { throw APIError.accessTokenExpired("the token has expired") }
        if token.payload["nbf"] != nil {
            guard let notBefore = token.date("nbf") else { throw APIError.invalidAccessToken("nbf must be a number") }
            guard notBefore.timeIntervalSince(now) <= skew else { throw APIError.accessTokenNotYetValid }
        }

        let claims = try Self.claims(grants: token.payload["grants"], account: accountSid, key: keySid, expiresAt: expiresAt)
        guard key.isActive else { throw APIError.accountNotActive }
        return claims
    }

    private static func claims(grants: Any?, account: SID, key: SID, expiresAt: Date) throws(APIError) -> AccessTokenClaims {
        guard let grants = grants as? [String: Any] else { throw .invalidAccessTokenGrants("grants must be an object") }
        let identity = grants["identity"]
        guard identity == nil || identity is String else { throw .invalidAccessTokenGrants("identity must be a string") }
        var videoGrant: AccessTokenClaims.VideoGrant?
        if let video = grants["video"] {
            guard let video = video as? [String: Any] else { throw .invalidAccessTokenGrants("video must be an object") }
            let room = video["room"]
            guard room == nil || room is String else { throw .invalidAccessTokenGrants("video.room must be a string") }
            videoGrant = AccessTokenClaims.VideoGrant(room: room as? String)
        }
        if let chat = grants["chat"], !(chat is [String: Any]) {
            throw .invalidAccessTokenGrants("chat must be an object")
        }
        return AccessTokenClaims(
            accountSid: account, keySid: key, identity: identity as? String, videoGrant: videoGrant,
            chatGrant: grants["chat"] != nil, expiresAt: expiresAt)
    }
}

/// A compact JWS split into its parts and decoded, not yet verified.
struct SignedToken {
    /// Longer tokens are refused before any decoding: an unauthenticated caller's JSON is parsed
    /// before the signature can be checked.
    static let maximumLength = 16_384

    var header: [String: Any]
    var payload: [String: Any]
    /// `base64url(header).base64url(payload)`, the bytes the signature covers.
    var signingInput: Substring
    var signature: Data

    /// Splits and decodes `token`; throws 20101 for anything that is not three base64url parts
    /// whose first two are JSON objects.
    init(_ token: String) throws(APIError) {
        guard token.utf8.count <= Self.maximumLength else {
            throw .invalidAccessToken("longer than \(Self.maximumLength) characters")
        }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .invalidAccessToken("expected three base64url parts separated by '.'") }
        guard let header = Self.jsonObject(parts[0]) else {
            throw .invalidAccessToken("the header is not a base64url-encoded JSON object")
        }
        guard let payload = Self.jsonObject(parts[1]) else {
            throw .invalidAccessToken("the payload is not a base64url-encoded JSON object")
        }
        guard let signature = Base64URL.decode(parts[2]).map({ Data($0) }) else {
            throw .invalidAccessToken("the signature is not base64url-encoded")
        }
        self.header = header
        self.payload = payload
        self.signingInput = token[parts[0].startIndex..<parts[1].endIndex]
        self.signature = signature
    }

    /// Throws 20102 unless the header is Twilio's: HS256, `cty: twilio-fpa;v=1`, `typ` (optional in
    /// JWT) `JWT`. Other fields (`twr`, the region) are ignored, except `crit`, which demands that we
    /// understand extensions we do not.
    func checkHeader() throws(APIError) {
        guard header["alg"] as? String == "HS256" else { throw .invalidAccessTokenHeader("alg must be HS256") }
        guard header["cty"] as? String == "twilio-fpa;v=1" else {
            throw .invalidAccessTokenHeader("cty must be twilio-fpa;v=1")
        }
        if let typ = header["typ"] {
            guard (typ as? String)?.uppercased() == "JWT" else { throw .invalidAccessTokenHeader("typ must be JWT") }
        }
        guard header["crit"] == nil else { throw .invalidAccessTokenHeader("crit is not supported") }
    }

    /// Whether the signature is HMAC-SHA256 of the signing input under `secret`, compared in constant time.
    func isSigned(with secret: String) -> Bool {
        let expected = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return ConstantTime.equals(expected, signature)
    }

    /// A payload field as a JWT NumericDate (seconds since 1970, fractions allowed); `nil` when absent
    /// or not a number. Foundation hands JSON booleans over as numbers too, so they are told apart by class.
    func date(_ name: String) -> Date? {
        guard let number = payload[name] as? NSNumber, type(of: number) != type(of: NSNumber(value: true)) else {
            return nil
        }
        return Date(timeIntervalSince1970: number.doubleValue)
    }

    private static func jsonObject(_ part: Substring) -> [String: Any]? {
        guard let data = Base64URL.decode(part).map({ Data($0) }) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}

extension APIError {
    /// 401/20101: not a token at all (not three parts, bad base64url or JSON).
    public static func invalidAccessToken(_ reason: String) -> APIError {
        APIError(status: 401, code: 20101, message: "Invalid Access Token: \(reason)")
    }

    /// 401/20102: a header other than Twilio's (`alg`, `cty`, `typ`).
    public static func invalidAccessTokenHeader(_ reason: String) -> APIError {
        APIError(status: 401, code: 20102, message: "Invalid Access Token header: \(reason)")
    }

    /// 401/20103: `iss` or `sub` malformed, the key unknown or revoked, or not the account's.
    public static func invalidAccessTokenIssuer(_ reason: String) -> APIError {
        APIError(status: 401, code: 20103, message: "Invalid Access Token issuer/subject: \(reason)")
    }

    /// 401/20104: `exp` missing, not a number, or past.
    public static func accessTokenExpired(_ reason: String) -> APIError {
        APIError(status: 401, code: 20104, message: "Access Token expired or expiration date invalid: \(reason)")
    }

    /// 401/20105: `nbf` is still in the future.
    public static let accessTokenNotYetValid = APIError(status: 401, code: 20105, message: "Access Token not yet valid")

    /// 401/20106: `grants` missing, or a grant of the wrong shape.
    public static func invalidAccessTokenGrants(_ reason: String) -> APIError {
        APIError(status: 401, code: 20106, message: "Invalid Access Token grants: \(reason)")
    }

    /// 401/20107: the signature is not the key's.
    public static let invalidAccessTokenSignature = APIError(status: 401, code: 20107, message: "Invalid Access Token signature")
}
