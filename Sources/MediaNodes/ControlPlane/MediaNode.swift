import Foundation
import Platform

/// A media node as the control plane knows it (`MN…`): where clients reach it, how much it can take.
public struct MediaNode: Sendable, Equatable {
    public var sid: SID
    public var name: String
    /// The WebSocket URL clients of its rooms open (`ws://host:port/v1/Signaling`).
    public var signalingURL: String
    /// Where its media (UDP) is reached.
    public var mediaHost: String
    public var mediaPort: Int
    /// Most participants it takes.
    public var capacity: Int
    /// Participants connected, as of its last heartbeat.
    public var load: Int
    /// In-progress rooms placed on it.
    public var roomCount: Int
    public var version: String
    public var status: MediaNodeStatus
    public var lastHeartbeat: Date
    public var dateCreated: Date
    public var dateUpdated: Date
}

public enum MediaNodeStatus: String, Sendable, CaseIterable {
    /// Takes new rooms.
    case active
    /// Keeps its rooms until they empty, takes no new ones, then stops.
    case draining
    /// Missed its heartbeats; its rooms were placed elsewhere.
    case dead
    /// Drained and exited.
    case stopped
}
