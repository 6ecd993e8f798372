import Hummingbird
import HummingbirdWebSocket
import Logging
import Prometheus
import Synchronization

/// A node's HTTP server: `/health`, `/metrics` and the signaling WebSocket at `/v1/Signaling`.
enum NodeHTTPServer {
    /// The node's state once registered; connections before that are refused.
    final class StateBox: Sendable {
        private let state = Mutex<NodeState?>(nil)
        var current: NodeState? { state.withLock { $0 } }
        func set(_ node: NodeState) { state.withLock { $0 = node } }
    }

    static let maximumMessageSize = 1 << 20

    static func make(
        configuration: MediaNodeConfiguration, box: StateBox, metrics: PrometheusCollectorRegistry, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("/health") { _, _ -> Response in
            let ready = box.current != nil
            return Response(
                status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: ready ? #"{"status":"ok"}"# : #"{"status":"starting"}"#)))
        }
        router.get("/metrics") { _, _ -> Response in
            var buffer = [UInt8]()
            metrics.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        let webSockets = Router(context: BasicWebSocketRequestContext.self)
        webSockets.ws("/v1/Signaling") { inbound, outbound, context in
            guard let node = box.current else {
                try await outbound.close(.unexpectedServerError, reason: "starting")
                return
            }
            let session = SignalingSession(node: node, logger: context.logger)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await text in session.channel.outgoing {
                        do { try await outbound.write(.text(text)) } catch { break }
                    }
                    try? await outbound.close(.normalClosure, reason: nil)
                }
                do {
                    for try await message in inbound.messages(maxSize: maximumMessageSize) {
                        if case .text(let text) = message { await session.receive(text) }
                    }
                } catch {
                    context.logger.debug("signaling connection failed", metadata: ["error": "\(error)"])
                }
                await session.connectionEnded()
                session.channel.finish()
            }
        }
        return Application(
            router: router, server: .http1WebSocketUpgrade(webSocketRouter: webSockets),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Parley media node"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }
}
