import Foundation
import Platform

/// An SMS sent or received (Twilio's Message).
public struct Message: Sendable, Equatable {
    public var sid: SID
    public var accountSid: SID
    public var direction: MessageDirection
    public var from: String
    public var to: String
    public var body: String
    /// Media links given on create (`MediaUrl`); stored, not fetched.
    public var mediaURLs: [String]
    public var numSegments: Int
    public var encoding: SMSEncoding
    public var status: MessageStatus
    public var errorCode: Int?
    public var errorMessage: String?
    public var statusCallback: String?
    public var statusCallbackMethod: DeliveryMethod
    /// Seconds the message may wait in the queue before it fails instead (`ValidityPeriod`).
    public var validityPeriod: Int?
    /// The carrier connection that carries it.
    public var connection: String
    public var dateSent: Date?
    public var dateCreated: Date
    public var dateUpdated: Date
}

/// Twilio's message statuses that Parley uses: outbound `queued → sending → sent → delivered | undelivered`, or
/// `failed`; inbound `received`.
public enum MessageStatus: String, Sendable, CaseIterable {
    case queued, sending, sent, delivered, undelivered, failed, received

    /// No later status follows.
    public var isFinal: Bool { [.delivered, .undelivered, .failed, .received].contains(self) }
}

public enum MessageDirection: String, Sendable {
    case inbound
    case outboundAPI = "outbound-api"
    case outboundReply = "outbound-reply"
}

/// A message to send, as the API's create gives it.
public struct NewMessage: Sendable {
    public var from: PhoneNumber
    public var to: PhoneNumber
    public var body: String
    public var mediaURLs: [String] = []
    public var statusCallback: String?
    public var statusCallbackMethod: DeliveryMethod = .post
    public var validityPeriod: Int?
    public var direction: MessageDirection = .outboundAPI

    public init(from: PhoneNumber, to: PhoneNumber, body: String) {
        self.from = from
        self.to = to
        self.body = body
    }
}

/// Why a message could not be created; each has Twilio's code.
public enum MessageError: Error, Equatable {
    /// `From` is not an SMS-capable number the account owns (21606).
    case fromNotOwned(PhoneNumber)
    /// `From` is the account's, but cannot send SMS (21606 as well).
    case fromNotSMSCapable(PhoneNumber)
    /// `To` and `From` are the same number (21266).
    case sameToAndFrom
}
