import Foundation
import Logging
import Messaging
import Platform

/// One chat client's connection (docs/conversations-realtime.md), without its socket: client frames and
/// conversations' news go in through ``inputs``, frames for the client come out of ``outgoing``. One task runs
/// ``run()``, so everything a session does happens in order.
final class ChatSession: Sendable {
    enum Input: Sendable {
        case frame(String)
        case news(ConversationNews)
        case tokenExpired
        /// The time to authenticate is up (ignored once the client has).
        case authenticationDeadline
    }

    /// Frames queued for a client that does not read, at most; past that the session ends (the client resumes
    /// with `after` when it reconnects).
    static let maximumQueuedFrames = 10_000
    static let authenticationTimeout: Duration = .seconds(10)

    let inputs: AsyncStream<Input>
    private let input: AsyncStream<Input>.Continuation
    let outgoing: AsyncStream<String>
    private let output: AsyncStream<String>.Continuation
    private let state: ChatSessionState

    init(service: ConversationService, tokens: AccessTokenVerifier, publicURL: String, logger: Logger) {
        (inputs, input) = AsyncStream.makeStream()
        (outgoing, output) = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(Self.maximumQueuedFrames))
        state = ChatSessionState(service: service, tokens: tokens, publicURL: publicURL, logger: logger)
    }

    func received(_ text: String) { input.yield(.frame(text)) }

    /// Processes inputs until the client goes (``finish()``) or the session ends it; then unsubscribes everything.
    func run() async {
        let timeout = Task { [input] in
            try await Task.sleep(for: Self.authenticationTimeout)
            input.yield(.authenticationDeadline)
        }
        defer { timeout.cancel() }
        for await next in inputs {
            let keepGoing = await state.handle(next, session: self)
            if !keepGoing { break }
        }
        state.unsubscribeAll()
        output.finish()
    }

    /// The client has gone.
    func finish() { input.finish() }

    /// Queues a frame for the client; false when the client has fallen too far behind.
    func send(_ frame: String) -> Bool {
        if case .dropped = output.yield(frame) { return false }
        return true
    }

    func deliver(_ news: ConversationNews) { input.yield(.news(news)) }
    func expire() { input.yield(.tokenExpired) }
}
