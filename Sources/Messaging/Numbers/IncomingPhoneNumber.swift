import Foundation
import Platform

/// A number an account bought (Twilio's IncomingPhoneNumber): its inventory facts and what the account set on it.
public struct IncomingPhoneNumber: Sendable, Equatable {
    public var sid: SID
    public var accountSid: SID
    public var number: InventoryNumber
    public var friendlyName: String
    public var configuration: NumberConfiguration
    public var dateCreated: Date
    public var dateUpdated: Date

    public var phoneNumber: PhoneNumber { number.phoneNumber }
}

/// Where a number's traffic goes: its webhooks and their methods (Twilio's defaults are POST).
public struct NumberConfiguration: Sendable, Equatable {
    public var smsURL: String?
    public var smsMethod: DeliveryMethod = .post
    public var smsFallbackURL: String?
    public var smsFallbackMethod: DeliveryMethod = .post
    public var voiceURL: String?
    public var voiceMethod: DeliveryMethod = .post
    public var voiceFallbackURL: String?
    public var voiceFallbackMethod: DeliveryMethod = .post
    public var statusCallback: String?
    public var statusCallbackMethod: DeliveryMethod = .post

    public init() {}
}

/// A change to an owned number: nil leaves a field as it is; an empty URL clears one.
public struct NumberUpdate: Sendable {
    public var friendlyName: String?
    public var smsURL: String?
    public var smsMethod: DeliveryMethod?
    public var smsFallbackURL: String?
    public var smsFallbackMethod: DeliveryMethod?
    public var voiceURL: String?
    public var voiceMethod: DeliveryMethod?
    public var voiceFallbackURL: String?
    public var voiceFallbackMethod: DeliveryMethod?
    public var statusCallback: String?
    public var statusCallbackMethod: DeliveryMethod?

    public init() {}

    /// The configuration after this change.
    public func applied(to configuration: NumberConfiguration) -> NumberConfiguration {
        func url(_ new: String?, _ old: String?) -> String? {
            guard let new else { return old }
            return new.isEmpty ? nil : new
        }
        var result = configuration
        result.smsURL = url(smsURL, configuration.smsURL)
        result.smsMethod = smsMethod ?? configuration.smsMethod
        result.smsFallbackURL = url(smsFallbackURL, configuration.smsFallbackURL)
        result.smsFallbackMethod = smsFallbackMethod ?? configuration.smsFallbackMethod
        result.voiceURL = url(voiceURL, configuration.voiceURL)
        result.voiceMethod = voiceMethod ?? configuration.voiceMethod
        result.voiceFallbackURL = url(voiceFallbackURL, configuration.voiceFallbackURL)
        result.voiceFallbackMethod = voiceFallbackMethod ?? configuration.voiceFallbackMethod
        result.statusCallback = url(statusCallback, configuration.statusCallback)
        result.statusCallbackMethod = statusCallbackMethod ?? configuration.statusCallbackMethod
        return result
    }
}

/// Why a number could not be bought.
public enum NumberPurchaseError: Error, Equatable {
    /// Not in the inventory, or another account owns it (Twilio's 21422).
    case notAvailable(PhoneNumber)
    /// No available number has that area code (Twilio's 21452).
    case noneInAreaCode(String)
}
