/// A DTLS-SRTP protection profile we negotiate (RFC 5764 §4.1.2, RFC 7714 §14.2), preferred first.
enum SRTPProfile: Sendable, Hashable, CaseIterable {
    /// AEAD_AES_128_GCM with a 16-byte tag: cheaper than HMAC-SHA1 per packet, so preferred.
    case aeadAES128GCM
    /// AES-128 counter mode with an 80-bit HMAC-SHA1 tag: the profile every WebRTC stack must support.
    case aes128CMHMACSHA1_80

    /// The protection profile identifier carried in the use_srtp extension.
    var protectionProfileID: UInt16 {
        switch self {
        case .aeadAES128GCM: 0x0007
        case .aes128CMHMACSHA1_80: 0x0001
        }
    }

    /// The profile's name as OpenSSL's SSL_CTX_set_tlsext_use_srtp spells it.
    var openSSLName: String {
        switch self {
        case .aeadAES128GCM: "SRTP_AEAD_AES_128_GCM"
        case .aes128CMHMACSHA1_80: "SRTP_AES128_CM_SHA1_80"
        }
    }

    /// Master key length in bytes.
    var masterKeyLength: Int { 16 }

    /// Master salt length in bytes (RFC 7714 uses a 96-bit salt, RFC 3711 a 112-bit one).
    var masterSaltLength: Int {
        switch self {
        case .aeadAES128GCM: 12
        case .aes128CMHMACSHA1_80: 14
        }
    }

    /// The profile with this use_srtp identifier, if it is one we support.
    init?(protectionProfileID: UInt16) {
        guard let profile = Self.allCases.first(where: { $0.protectionProfileID == protectionProfileID }) else {
            return nil
        }
        self = profile
    }
}

/// The SRTP master keys and salts both directions use, derived from a DTLS handshake (RFC 5764 §4.2).
/// "Local" protects what we send; "remote" unprotects what the peer sends.
struct SRTPKeyingMaterial: Sendable, Hashable {
    var profile: SRTPProfile
    var localMasterKey: [UInt8]
    var localMasterSalt: [UInt8]
    var remoteMasterKey: [UInt8]
    var remoteMasterSalt: [UInt8]

    /// Splits exporter output (client key | server key | client salt | server salt) by our DTLS role;
    /// nil when its length does not match the profile.
    init?(exporterOutput material: [UInt8], profile: SRTPProfile, isClient: Bool) {
        let keyLength = profile.masterKeyLength
        let saltLength = profile.masterSaltLength
        guard material.count == 2 * (keyLength + saltLength) else { return nil }
        let clientKey = Array(material[0..<keyLength])
        let serverKey = Array(material[keyLength..<2 * keyLength])
        let clientSalt = Array(material[2 * keyLength..<2 * keyLength + saltLength])
        let serverSalt = Array(material[(2 * keyLength + saltLength)...])
        self.init(
            profile: profile,
            localMasterKey: isClient ? clientKey : serverKey,
            localMasterSalt: isClient ? clientSalt : serverSalt,
            remoteMasterKey: isClient ? serverKey : clientKey,
            remoteMasterSalt: isClient ? serverSalt : clientSalt
        )
    }

    /// Keying material from its parts (tests, and peers keyed out of band).
    init(
        profile: SRTPProfile, localMasterKey: [UInt8], localMasterSalt: [UInt8], remoteMasterKey: [UInt8],
        remoteMasterSalt: [UInt8]
    ) {
        self.profile = profile
        self.localMasterKey = localMasterKey
        self.localMasterSalt = localMasterSalt
        self.remoteMasterKey = remoteMasterKey
        self.remoteMasterSalt = remoteMasterSalt
    }

    /// The same keys seen from the peer: what it sends is what we receive.
    var mirrored: SRTPKeyingMaterial {
        SRTPKeyingMaterial(
            profile: profile, localMasterKey: remoteMasterKey, localMasterSalt: remoteMasterSalt,
            remoteMasterKey: localMasterKey, remoteMasterSalt: localMasterSalt)
    }
}

extension SRTPKeyingMaterial: CustomStringConvertible {
    /// Names the profile only, so logging the material never leaks keys.
    var description: String { "SRTPKeyingMaterial(\(profile), keys redacted)" }
}
