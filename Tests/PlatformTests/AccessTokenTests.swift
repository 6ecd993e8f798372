import Crypto
import Foundation
import Platform
import TestSupport
import Testing

/// Mints tokens byte for byte as twilio-python's `AccessToken.to_jwt()` does through PyJWT: header keys
/// sorted, compact JSON, payload keys in insertion order, unpadded base64url, HMAC-SHA256 over
/// `header.payload` with the key secret's UTF-8 bytes.
enum TwilioTokenMinter {
    static let header = #"{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT"}"#
    /// A fixed "now" (2023-11-14T22:13:20Z), so tokens and expectations are repeatable.
    static let issuedAt = 1_700_000_000
    /// When tests verify: shortly after issue.
    static let verifiedAt = Date(timeIntervalSince1970: TimeInterval(issuedAt + 60))

    /// The payload twilio-python writes for `AccessToken(account, key, secret, identity=…, ttl=…)` and its grants.
    static func payload(key: SID, account: SID, grants: String = #"{"identity":"alice"}"#, ttl: Int = 3600) -> String {
        #"{"jti":"\#(key)-\#(issuedAt)","grants":\#(grants),"iss":"\#(key)","exp":\#(issuedAt + ttl),"nbf":\#(issuedAt),"sub":"\#(account)"}"#
    }

    static func token(header: String = header, payload: String, secret: String) -> String {
        let input = base64URL(Data(header.utf8)) + "." + base64URL(Data(payload.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return input + "." + base64URL(Data(mac))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

@Suite struct AccessTokenTests {
    typealias Mint = TwilioTokenMinter
    let logger = TestDatabase.logger

    struct Setup {
        let database: Database
        let accounts: AccountRepository
        let keys: APIKeyRepository
        let main: Account
        let sub: Account
        let stranger: Account
        let key: APIKey
        let secret: String
        let subKey: APIKey
        let subSecret: String
        let verifier: AccessTokenVerifier

        /// A token of the main account's key for the main account.
        func token(grants: String = #"{"identity":"alice"}"#, ttl: Int = 3600) -> String {
            Mint.token(payload: Mint.payload(key: key.sid, account: main.sid, grants: grants, ttl: ttl), secret: secret)
        }

        /// The error verifying `token` throws (after checking it is a 401 that does not echo a secret),
        /// or `nil` when it is accepted.
        func failure(_ token: String, now: Date = Mint.verifiedAt, verifier: AccessTokenVerifier? = nil) async -> APIError? {
            do {
                _ = try await (verifier ?? self.verifier).verify(token, now: now, logger: TestDatabase.logger)
                return nil
            } catch let error as APIError {
                #expect(error.status == 401)
                #expect(!error.message.contains(secret) && !error.message.contains(subSecret))
                return error
            } catch {
                Issue.record("unexpected error \(error)")
                return .internalError
            }
        }
    }

    func withSetup(_ body: @Sendable (Setup) async throws -> Void) async throws {
        try await TestDatabase.withFresh { database in
            let logger = TestDatabase.logger
            let accounts = AccountRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let keys = APIKeyRepository(database: database, secrets: Fixtures.secrets, outbox: Fixtures.outbox)
            let main = try await accounts.create(parent: nil, friendlyName: "Main", logger: logger)
            let sub = try await accounts.create(parent: main.sid, friendlyName: "Sub", logger: logger)
            let stranger = try await accounts.create(parent: nil, friendlyName: "Stranger", logger: logger)
            let (key, secret) = try await keys.create(account: main.sid, friendlyName: nil, logger: logger)
            let (subKey, subSecret) = try await keys.create(account: sub.sid, friendlyName: nil, logger: logger)
            try await body(Setup(
                database: database, accounts: accounts, keys: keys, main: main, sub: sub, stranger: stranger,
                key: key, secret: secret, subKey: subKey, subSecret: subSecret,
                verifier: AccessTokenVerifier(database: database, secrets: Fixtures.secrets)))
        }
    }

    /// The minter agrees with an independent computation (Python's json, base64 and hmac modules, as
    /// PyJWT uses them), so tokens accepted below are the ones twilio-python produces.
    @Test func minterMatchesTwilioPythonOutput() {
        let key = SID("SK00000000000000000000000000000000")!, account = SID("AC11111111111111111111111111111111")!
        let payload = Mint.payload(key: key, account: account, grants: #"{"video":{"room":"DailyStandup"},"identity":"alice"}"#)
        #expect(Mint.token(payload: payload, secret: "secretsecretsecretsecretsecret12") == """
            eyJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIiwidHlwIjoiSldUIn0.eyJqdGkiOiJTSzAwMDAwMDAwMDAwMDAwMDAwMDA\
            wMDAwMDAwMDAwMDAwLTE3MDAwMDAwMDAiLCJncmFudHMiOnsidmlkZW8iOnsicm9vbSI6IkRhaWx5U3RhbmR1cCJ9LCJpZGVudGl0eSI6Im\
            FsaWNlIn0sImlzcyI6IlNLMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAiLCJleHAiOjE3MDAwMDM2MDAsIm5iZiI6MTcwMDAw\
            MDAwMCwic3ViIjoiQUMxMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMSJ9.nBVb4J2PNaKqLcb2qDA5ZXacSkU6bEHdLtDLflY8GUA
            """)
    }

    @Test func validTokensYieldTheirClaims() async throws {
        try await withSetup { s in
            let expires = Date(timeIntervalSince1970: TimeInterval(Mint.issuedAt + 3600))
            func claims(_ identity: String?, _ video: AccessTokenClaims.VideoGrant?, chat: Bool = false) -> AccessTokenClaims {
                AccessTokenClaims(accountSid: s.main.sid, keySid: s.key.sid, identity: identity, videoGrant: video,
                                  chatGrant: chat, expiresAt: expires)
            }
            let cases: [(grants: String, expected: AccessTokenClaims)] = [
                (#"{"video":{"room":"DailyStandup"},"identity":"alice"}"#, claims("alice", .init(room: "DailyStandup"))),
                (#"{"video":{"room":"RM0123456789abcdef0123456789abcdef"},"identity":"bob"}"#,
                 claims("bob", .init(room: "RM0123456789abcdef0123456789abcdef"))),
                (#"{"video":{},"identity":"alice"}"#, claims("alice", .init(room: nil))),
                (#"{"chat":{"service_sid":"IS0123456789abcdef0123456789abcdef"},"identity":"carol"}"#, claims("carol", nil, chat: true)),
                (#"{"video":{},"chat":{}}"#, claims(nil, .init(room: nil), chat: true)),
                (#"{}"#, claims(nil, nil)),
            ]
            for (grants, expected) in cases {
                let verified = try await s.verifier.verify(s.token(grants: grants), now: Mint.verifiedAt, logger: logger)
                #expect(verified == expected, "\(grants)")
            }

            // twilio-python's region adds `twr` to the header; a subaccount's key works for the subaccount.
            let regional = Mint.token(
                header: #"{"alg":"HS256","cty":"twilio-fpa;v=1","twr":"ie1","typ":"JWT"}"#,
                payload: Mint.payload(key: s.key.sid, account: s.main.sid), secret: s.secret)
            #expect(try await s.verifier.verify(regional, now: Mint.verifiedAt, logger: logger).identity == "alice")
            let subToken = Mint.token(payload: Mint.payload(key: s.subKey.sid, account: s.sub.sid), secret: s.subSecret)
            let subClaims = try await s.verifier.verify(subToken, now: Mint.verifiedAt, logger: logger)
            #expect(subClaims.accountSid == s.sub.sid)
            #expect(subClaims.keySid == s.subKey.sid)
        }
    }

    @Test func signaturesMustBeTheKeys() async throws {
        try await withSetup { s in
            let token = s.token()
            let parts = token.split(separator: ".").map(String.init)
            // The first character carries six whole bits, so changing it keeps the encoding valid.
            let flipped = (parts[2].first == "A" ? "B" : "A") + parts[2].dropFirst()
            #expect(await s.failure([parts[0], parts[1], flipped].joined(separator: "."))?.code == 20107)

            // A payload changed after signing.
            let forged = Mint.base64URL(Data(Mint.payload(key: s.key.sid, account: s.main.sid, grants: #"{"identity":"mallory"}"#).utf8))
            #expect(await s.failure([parts[0], forged, parts[2]].joined(separator: "."))?.code == 20107)

            let wrongSecret = Mint.token(payload: Mint.payload(key: s.key.sid, account: s.main.sid), secret: s.subSecret)
            #expect(await s.failure(wrongSecret)?.code == 20107)
            #expect(await s.failure([parts[0], parts[1], ""].joined(separator: "."))?.code == 20107)
        }
    }

    @Test func expiryIsEnforced() async throws {
        try await withSetup { s in
            let token = s.token(ttl: 3600)
            let expiry = Date(timeIntervalSince1970: TimeInterval(Mint.issuedAt + 3600))
            #expect(await s.failure(token, now: expiry.addingTimeInterval(-1)) == nil)
            #expect(await s.failure(token, now: expiry)?.code == 20104)
            #expect(await s.failure(token, now: expiry.addingTimeInterval(86_400))?.code == 20104)
            #expect(await s.failure(s.token(ttl: -10))?.code == 20104)

            let lenient = AccessTokenVerifier(database: s.database, secrets: Fixtures.secrets, clockSkew: .seconds(30))
            #expect(await s.failure(token, now: expiry.addingTimeInterval(29), verifier: lenient) == nil)
            #expect(await s.failure(token, now: expiry.addingTimeInterval(30), verifier: lenient)?.code == 20104)

            let base = #""grants":{"identity":"alice"},"iss":"\#(s.key.sid)","sub":"\#(s.main.sid)""#
            for exp in [nil, #""1700003600""#, "true", "null", #"{"n":1}"#] {
                let payload = "{" + base + (exp.map { #","exp":\#($0)"# } ?? "") + "}"
                let error = await s.failure(Mint.token(payload: payload, secret: s.secret))
                #expect(error?.code == 20104, "exp \(exp ?? "missing")")
            }
            // Fractional NumericDates are allowed.
            let fractional = Mint.token(payload: "{" + base + #","exp":1700003600.5}"#, secret: s.secret)
            #expect(await s.failure(fractional) == nil)
        }
    }

    @Test func notBeforeIsEnforced() async throws {
        try await withSetup { s in
            let token = s.token()  // nbf = issuedAt
            let issued = Date(timeIntervalSince1970: TimeInterval(Mint.issuedAt))
            #expect(await s.failure(token, now: issued) == nil)
            #expect(await s.failure(token, now: issued.addingTimeInterval(-1))?.code == 20105)
            let lenient = AccessTokenVerifier(database: s.database, secrets: Fixtures.secrets, clockSkew: .seconds(5))
            #expect(await s.failure(token, now: issued.addingTimeInterval(-5), verifier: lenient) == nil)
            #expect(await s.failure(token, now: issued.addingTimeInterval(-6), verifier: lenient)?.code == 20105)

            // nbf is optional (twilio-python omits it with nbf=None), but must be a number when present.
            let base = #""grants":{},"iss":"\#(s.key.sid)","sub":"\#(s.main.sid)","exp":\#(Mint.issuedAt + 3600)"#
            #expect(await s.failure(Mint.token(payload: "{" + base + "}", secret: s.secret)) == nil)
            #expect(await s.failure(Mint.token(payload: "{" + base + #","nbf":"soon"}"#, secret: s.secret))?.code == 20101)
        }
    }

    @Test func onlyTwilioHeadersAreAccepted() async throws {
        try await withSetup { s in
            let payload = Mint.payload(key: s.key.sid, account: s.main.sid)
            let headers = [
                #"{"alg":"none","cty":"twilio-fpa;v=1","typ":"JWT"}"#,
                #"{"alg":"HS512","cty":"twilio-fpa;v=1","typ":"JWT"}"#,
                #"{"alg":"RS256","cty":"twilio-fpa;v=1","typ":"JWT"}"#,
                #"{"alg":"hs256","cty":"twilio-fpa;v=1","typ":"JWT"}"#,
                #"{"cty":"twilio-fpa;v=1","typ":"JWT"}"#,
                #"{"alg":"HS256","typ":"JWT"}"#,
                #"{"alg":"HS256","cty":"twilio-fpa;v=2","typ":"JWT"}"#,
                #"{"alg":"HS256","cty":"JWT","typ":"JWT"}"#,
                #"{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWE"}"#,
                #"{"alg":"HS256","crit":["exp"],"cty":"twilio-fpa;v=1","typ":"JWT"}"#,
            ]
            for header in headers {
                // Correctly signed with HS256 and the right secret: only the header is wrong.
                #expect(await s.failure(Mint.token(header: header, payload: payload, secret: s.secret))?.code == 20102, "\(header)")
            }
            // The classic "none" attack: no signature at all.
            let unsigned = Mint.base64URL(Data(headers[0].utf8)) + "." + Mint.base64URL(Data(payload.utf8)) + "."
            #expect(await s.failure(unsigned)?.code == 20102)
            // A real HS512 signature is refused too.
            let input = Mint.base64URL(Data(headers[1].utf8)) + "." + Mint.base64URL(Data(payload.utf8))
            let mac = HMAC<SHA512>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(s.secret.utf8)))
            #expect(await s.failure(input + "." + Mint.base64URL(Data(mac)))?.code == 20102)
            // typ is optional in JWT.
            let untyped = Mint.token(header: #"{"alg":"HS256","cty":"twilio-fpa;v=1"}"#, payload: payload, secret: s.secret)
            #expect(await s.failure(untyped) == nil)
        }
    }

    @Test func malformedTokensAreRefused() async throws {
        try await withSetup { s in
            let token = s.token()
            let parts = token.split(separator: ".").map(String.init)
            let encode = { (text: String) in Mint.base64URL(Data(text.utf8)) }
            // The signature's last character carries 4 bits and 2 zero bits; setting one spells the same bytes differently.
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
            let strayBits = String(parts[2].dropLast()) + String(alphabet[alphabet.firstIndex(of: parts[2].last!)! | 1])
            func join(_ header: String, _ payload: String, _ signature: String) -> String {
                header + "." + payload + "." + signature
            }
            let (header, payload, signature) = (parts[0], parts[1], parts[2])
            let cases: [String] = [
                "", ".", "..", "abc", header + "." + payload, token + ".", token + "." + signature, " " + token, token + "\n",
                join(header + "=", payload, signature),  // padding
                join(header, payload, signature + "="),
                join(header, payload, strayBits),
                join(header, payload, String(signature.dropLast(2))),  // 41 characters: not whole bytes
                join(header, "!!!!", signature),
                join(encode("not json"), payload, signature),
                join(encode(#"["alg","HS256"]"#), payload, signature),
                join(header, encode(#""a string""#), signature),
                join(header, encode(#"{"exp":"#), signature),
                join(header, "", signature),
                join(String(repeating: "a", count: 20_000), payload, signature),
            ]
            for candidate in cases {
                #expect(await s.failure(candidate)?.code == 20101, "\(candidate.prefix(120))")
            }

            // This header's base64 holds a '/' (base64url: '_'). Only the URL-safe alphabet is accepted,
            // even when the signature covers the other spelling.
            let slashed = #"{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT","x":"??>"}"#
            let urlSafe = encode(slashed), standard = Data(slashed.utf8).base64EncodedString()
            #expect(urlSafe.contains("_") && standard.contains("/"))
            let sign = { (input: String) in
                input + "." + Mint.base64URL(Data(HMAC<SHA256>.authenticationCode(
                    for: Data(input.utf8), using: SymmetricKey(data: Data(s.secret.utf8)))))
            }
            #expect(await s.failure(sign(urlSafe + "." + payload)) == nil)
            #expect(await s.failure(sign(standard + "." + payload))?.code == 20101)
        }
    }

    @Test func issuerAndSubjectMustMatchAKeyOfTheAccount() async throws {
        try await withSetup { s in
            func signed(iss: String, sub: String, secret: String) -> String {
                let payload = #"{"jti":"x","grants":{},"iss":"\#(iss)","exp":\#(Mint.issuedAt + 3600),"sub":"\#(sub)"}"#
                return Mint.token(payload: payload, secret: secret)
            }
            let key = s.key.sid.rawValue, main = s.main.sid.rawValue
            let cases: [(iss: String, sub: String, secret: String)] = [
                (main, main, s.secret),  // an account SID as issuer
                ("SKnothex", main, s.secret),
                (key, key, s.secret),  // a key SID as subject
                (key, "ACnothex", s.secret),
                ("SK0123456789abcdef0123456789abcdef", main, s.secret),  // no such key
                (key, s.stranger.sid.rawValue, s.secret),  // another account's token signed with our key
                (key, s.sub.sid.rawValue, s.secret),  // the parent's key does not speak for its subaccount
                (s.subKey.sid.rawValue, main, s.subSecret),  // nor the subaccount's key for the parent
            ]
            for (iss, sub, secret) in cases {
                #expect(await s.failure(signed(iss: iss, sub: sub, secret: secret))?.code == 20103, "iss \(iss), sub \(sub)")
            }
            let exp = Mint.issuedAt + 3600
            for payload in [#"{"grants":{},"iss":7,"sub":"\#(main)","exp":\#(exp)}"#, #"{"grants":{},"iss":"\#(key)","exp":\#(exp)}"#] {
                #expect(await s.failure(Mint.token(payload: payload, secret: s.secret))?.code == 20103, "\(payload)")
            }
            // A known key with a wrong secret is a bad signature, whatever the subject.
            #expect(await s.failure(signed(iss: s.subKey.sid.rawValue, sub: s.sub.sid.rawValue, secret: s.secret))?.code == 20107)
        }
    }

    @Test func grantsMustBeWellFormed() async throws {
        try await withSetup { s in
            let base = #""iss":"\#(s.key.sid)","sub":"\#(s.main.sid)","exp":\#(Mint.issuedAt + 3600)"#
            #expect(await s.failure(Mint.token(payload: "{" + base + "}", secret: s.secret))?.code == 20106)
            for grants in [#"[]"#, #""video""#, "null", #"{"identity":7}"#, #"{"identity":null}"#, #"{"video":"room"}"#,
                           #"{"video":{"room":7}}"#, #"{"video":{"room":null}}"#, #"{"chat":true}"#] {
                #expect(await s.failure(s.token(grants: grants))?.code == 20106, "\(grants)")
            }
        }
    }

    @Test func revokedKeysAndInactiveAccountsAreRefused() async throws {
        try await withSetup { s in
            let mainToken = s.token()
            let subToken = Mint.token(payload: Mint.payload(key: s.subKey.sid, account: s.sub.sid), secret: s.subSecret)
            #expect(await s.failure(mainToken) == nil)

            _ = try await s.accounts.update(s.main.sid, visibleTo: s.main.sid, friendlyName: nil, status: .suspended, logger: logger)
            #expect(await s.failure(mainToken) == .accountNotActive)
            // An active subaccount of a suspended parent is refused too.
            #expect(await s.failure(subToken) == .accountNotActive)
            // Without the key's secret nothing about the account is revealed.
            let forged = Mint.token(payload: Mint.payload(key: s.key.sid, account: s.main.sid), secret: s.subSecret)
            #expect(await s.failure(forged)?.code == 20107)

            _ = try await s.accounts.update(s.main.sid, visibleTo: s.main.sid, friendlyName: nil, status: .active, logger: logger)
            _ = try await s.accounts.update(s.sub.sid, visibleTo: s.main.sid, friendlyName: nil, status: .closed, logger: logger)
            #expect(await s.failure(mainToken) == nil)
            #expect(await s.failure(subToken) == .accountNotActive)

            #expect(try await s.keys.delete(s.key.sid, account: s.main.sid, logger: logger))
            #expect(await s.failure(mainToken)?.code == 20103)
        }
    }
}
