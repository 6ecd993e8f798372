import Foundation
import Platform

/// Settings of one media node (the `parley media-node` flags, or the node inside `parley serve`).
public struct MediaNodeConfiguration: Sendable {
    /// Address and port its HTTP/WebSocket server listens on; port 0 picks a free one.
    public var host: String
    public var port: Int
    /// The host clients reach it at (default: `host`).
    public var advertisedHost: String?
    /// The WebSocket URL clients open, when it is not `ws://advertisedHost:port/v1/Signaling` (behind TLS, say).
    public var signalingURL: String?
    /// Where its media (UDP) will be reached.
    public var mediaPort: Int
    /// Most participants it takes (placement divides load by it).
    public var capacity: Int
    public var name: String
    public var heartbeatInterval: Duration = .seconds(1)
    /// How long a drain waits for its rooms to empty before sending the rest to other nodes.
    public var drainTimeout: Duration
    public var version: String
    /// What media stream consumers this node may connect to.
    public var egressPolicy: EgressPolicy

    public init(
        host: String = "127.0.0.1", port: Int = 0, advertisedHost: String? = nil, signalingURL: String? = nil, mediaPort: Int = 0,
        capacity: Int = 500, name: String = ProcessInfo.processInfo.hostName, drainTimeout: Duration = .seconds(3600),
        version: String = MediaNodeConfiguration.currentVersion, egressPolicy: EgressPolicy = EgressPolicy()
    ) {
        self.host = host
        self.port = port
        self.advertisedHost = advertisedHost
        self.signalingURL = signalingURL
        self.mediaPort = mediaPort
        self.capacity = capacity
        self.name = name
        self.drainTimeout = drainTimeout
        self.version = version
        self.egressPolicy = egressPolicy
    }

    public static let currentVersion = "0.4.0"

    func signalingURL(boundPort: Int) -> String {
        if let signalingURL { return signalingURL }
        let host = advertisedHost ?? host
        return "ws://\(host.contains(":") ? "[\(host)]" : host):\(boundPort)/v1/Signaling"
    }
}
