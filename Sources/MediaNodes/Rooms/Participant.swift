import Foundation
import Platform

/// Someone in a room (`PA…`).
public struct Participant: Sendable, Equatable {
    public var sid: SID
    public var accountSid: SID
    public var roomSid: SID
    public var identity: String
    public var status: ParticipantStatus
    public var startTime: Date
    public var endTime: Date?
    public var dateCreated: Date
    public var dateUpdated: Date

    /// Seconds connected; `nil` while present.
    public var duration: Int? {
        endTime.map { max(0, Int($0.timeIntervalSince(startTime).rounded())) }
    }
}

public enum ParticipantStatus: String, Sendable, CaseIterable {
    case connected
    case reconnecting
    case disconnected
}

/// A track a participant publishes (`MT…`).
public struct PublishedTrack: Sendable, Equatable {
    public var sid: SID
    public var accountSid: SID
    public var roomSid: SID
    public var participantSid: SID
    public var name: String
    public var kind: TrackKind
    public var enabled: Bool
    public var dateCreated: Date
    public var dateUpdated: Date
}

public enum TrackKind: String, Sendable, CaseIterable {
    case audio
    case video
    case data
}

/// A track a participant receives: the published track seen from its subscriber.
public struct SubscribedTrack: Sendable, Equatable {
    public var track: PublishedTrack
    public var subscriberSid: SID
    public var dateSubscribed: Date
}
