import Foundation
import Platform

/// A video room (`RM…`): Twilio's resource, plus where its media lives.
public struct Room: Sendable, Equatable {
    public var sid: SID
    public var accountSid: SID
    public var uniqueName: String
    public var status: RoomStatus
    public var settings: RoomSettings
    /// The media node hosting it, once placed.
    public var nodeSid: SID?
    public var endTime: Date?
    public var dateCreated: Date
    public var dateUpdated: Date

    /// Seconds from creation to end; `nil` while in progress.
    public var duration: Int? {
        endTime.map { max(0, Int($0.timeIntervalSince(dateCreated).rounded())) }
    }
}

public enum RoomStatus: String, Sendable, CaseIterable {
    case inProgress = "in-progress"
    case completed
    case failed
}

public enum RoomType: String, Sendable, CaseIterable {
    case group
    case groupSmall = "group-small"
    case peerToPeer = "peer-to-peer"
    case go
}

/// What a room is created with (Twilio's `POST /v1/Rooms` parameters), defaults applied.
public struct RoomSettings: Sendable, Equatable {
    public var type: RoomType = .group
    public var maxParticipants: Int = 50
    public var maxParticipantDuration: Int = 14_400
    public var statusCallback: String?
    public var statusCallbackMethod: DeliveryMethod = .post
    /// Minutes an emptied room stays open.
    public var emptyRoomTimeout: Int = 5
    /// Minutes a room nobody joined stays open.
    public var unusedRoomTimeout: Int = 5
    public var audioOnly = false
    public var recordParticipantsOnConnect = false
    public var videoCodecs: [String] = ["VP8", "H264"]
    public var mediaRegion = "us1"
    public var largeRoom = false

    public init() {}

    /// Twilio's limits per room type: go rooms hold 2, peer-to-peer 10, group rooms 50.
    public static func participantLimit(for type: RoomType) -> Int {
        switch type {
        case .go: 2
        case .peerToPeer, .groupSmall: 10
        case .group: 50
        }
    }

    /// Most tracks a room carries at once (Twilio reports 170 for group rooms).
    public var maxConcurrentPublishedTracks: Int { type == .group ? 170 : 16 }
}
