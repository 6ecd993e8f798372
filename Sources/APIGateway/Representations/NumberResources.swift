import Foundation
import Messaging
import Platform

/// `api.v2010.account.available_phone_number_country`: a country with numbers to buy, and its searches.
struct AvailableCountryResource: JSONRepresentable {
    let account: SID
    let country: String
    let types: Set<NumberType>

    func write(to json: inout JSONObjectWriter) {
        let base = API2010.uri("/Accounts/\(account)/AvailablePhoneNumbers/\(country)")
        json.field("country_code", country)
        json.field("country", Self.name(of: country))
        json.field("uri", concatenating: base, ".json")
        json.field("beta", false)
        json.field("subresource_uris") { uris in
            for type in NumberType.allCases where types.contains(type) {
                uris.field(Self.subresourceKey(type), concatenating: base, "/", type.subresource, ".json")
            }
        }
    }

    /// `local`, `toll_free`, `mobile`.
    static func subresourceKey(_ type: NumberType) -> String {
        type == .tollFree ? "toll_free" : type.rawValue
    }

    /// The English name of an ISO 3166 country (the code itself when the system does not know it).
    static func name(of country: String) -> String {
        Locale(identifier: "en_US").localizedString(forRegionCode: country) ?? country
    }
}

/// `api.v2010.account.available_phone_number_country.available_phone_number_local` (and the toll-free and mobile ones,
/// which have the same fields).
struct AvailableNumberResource: JSONRepresentable {
    let number: InventoryNumber

    func write(to json: inout JSONObjectWriter) {
        json.field("friendly_name", number.phoneNumber.friendlyName)
        json.field("phone_number", number.phoneNumber.e164)
        json.field("lata", nil as String?)
        json.field("locality", number.locality)
        json.field("rate_center", nil as String?)
        json.field("latitude", nil as String?)
        json.field("longitude", nil as String?)
        json.field("region", number.region)
        json.field("postal_code", number.postalCode)
        json.field("iso_country", number.isoCountry)
        json.field("address_requirements", "none")
        json.field("beta", false)
        json.field("capabilities") { NumberCapabilitiesJSON.write(number.capabilities, to: &$0) }
    }
}

/// `api.v2010.account.incoming_phone_number`. Parley has no addresses, bundles, trunks, applications or emergency
/// calling: those fields are null (or Twilio's neutral value).
struct IncomingPhoneNumberResource: JSONRepresentable {
    let number: IncomingPhoneNumber

    func write(to json: inout JSONObjectWriter) {
        let configuration = number.configuration
        json.field("account_sid", number.accountSid.rawValue)
        json.field("address_sid", nil as String?)
        json.field("address_requirements", "none")
        json.field("api_version", "2010-04-01")
        json.field("beta", false)
        json.field("capabilities") { NumberCapabilitiesJSON.write(number.number.capabilities, to: &$0) }
        json.field("date_created", TwilioDate.rfc2822(number.dateCreated))
        json.field("date_updated", TwilioDate.rfc2822(number.dateUpdated))
        json.field("friendly_name", number.friendlyName)
        json.field("identity_sid", nil as String?)
        json.field("phone_number", number.phoneNumber.e164)
        json.field("origin", "twilio")
        json.field("sid", number.sid.rawValue)
        json.field("sms_application_sid", nil as String?)
        json.field("sms_fallback_method", configuration.smsFallbackMethod.rawValue)
        json.field("sms_fallback_url", configuration.smsFallbackURL)
        json.field("sms_method", configuration.smsMethod.rawValue)
        json.field("sms_url", configuration.smsURL)
        json.field("status_callback", configuration.statusCallback)
        json.field("status_callback_method", configuration.statusCallbackMethod.rawValue)
        json.field("trunk_sid", nil as String?)
        json.field("uri", API2010.uri("/Accounts/\(number.accountSid)/IncomingPhoneNumbers/\(number.sid).json"))
        json.field("voice_receive_mode", "voice")
        json.field("voice_application_sid", nil as String?)
        json.field("voice_caller_id_lookup", false)
        json.field("voice_fallback_method", configuration.voiceFallbackMethod.rawValue)
        json.field("voice_fallback_url", configuration.voiceFallbackURL)
        json.field("voice_method", configuration.voiceMethod.rawValue)
        json.field("voice_url", configuration.voiceURL)
        json.field("emergency_status", "Inactive")
        json.field("emergency_address_sid", nil as String?)
        json.field("emergency_address_status", "unregistered")
        json.field("bundle_sid", nil as String?)
        json.field("status", "in-use")
        json.field("type", number.number.type.rawValue)
    }
}

/// `{"voice": …, "sms": …, "mms": …, "fax": false}`: Parley numbers do not fax.
enum NumberCapabilitiesJSON {
    static func write(_ capabilities: NumberCapabilities, to json: inout JSONObjectWriter) {
        json.field("voice", capabilities.contains(.voice))
        json.field("sms", capabilities.contains(.sms))
        json.field("mms", capabilities.contains(.mms))
        json.field("fax", false)
    }
}
