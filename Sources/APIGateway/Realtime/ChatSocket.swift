import Hummingbird
import HummingbirdWebSocket
import Logging
import Messaging
import Platform

/// The realtime chat WebSocket (`/realtime/v1/Conversations`): moves frames between a socket and its ``ChatSession``.
enum ChatSocket {
    static let path = "/realtime/v1/Conversations"
    /// Frames larger than this end the connection (a message body is at most 32 KB).
    static let maximumFrameSize = 64 * 1024

    static func register(on router: Router<BasicWebSocketRequestContext>, services: GatewayServices) {
        let (service, tokens, publicURL) = (services.conversations, services.accessTokens, services.configuration.publicURL)
        router.ws(RouterPath(path)) { inbound, outbound, context in
            let session = ChatSession(service: service, tokens: tokens, publicURL: publicURL, logger: context.logger)
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await session.run() }
                group.addTask {
                    for await frame in session.outgoing {
                        do { try await outbound.write(.text(frame)) } catch { break }
                    }
                    // The session ended it (or the client went): close, which also ends the reading below.
                    try? await outbound.close(.init(codeNumber: 4001), reason: nil)
                }
                do {
                    for try await message in inbound.messages(maxSize: maximumFrameSize) {
                        if case .text(let text) = message { session.received(text) }
                    }
                } catch {
                    context.logger.debug("chat connection failed", metadata: ["error": "\(error)"])
                }
                session.finish()
            }
        }
    }
}
