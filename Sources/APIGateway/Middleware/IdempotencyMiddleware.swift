import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Platform
import Synchronization

/// `Idempotency-Key` on POST: the same key with the same parameters within 24 hours replays the
/// stored response (header `Idempotent-Replayed: true`); with other parameters it is 422; while the
/// first request is still running, 409. Only successful responses are stored: a failed request
/// leaves nothing behind, so its retry runs afresh.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    static let maximumKeyLength = 255
    let store: IdempotencyStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers[.idempotencyKey] else {
            return try await next(request, context)
        }
        guard !key.isEmpty, key.count <= Self.maximumKeyLength else {
            throw APIError.invalidParameter("Idempotency-Key", "must be 1 to \(Self.maximumKeyLength) characters")
        }
        let account = try context.requirePrincipal().accountSid
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        hasher.update(data: Data(context.query.canonicalDigest))
        hasher.update(data: Data(context.form.canonicalDigest))
        let fingerprint = Data(hasher.finalize())

        let holder: IdempotencyStore.Holder
        switch try await store.reserve(account: account, key: key, fingerprint: fingerprint, logger: context.logger) {
        case .replay(let stored):
            var response = Response(status: .init(code: stored.status), body: .init(byteBuffer: ByteBuffer(bytes: stored.body)))
            if let contentType = stored.contentType { response.headers[.contentType] = contentType }
            response.headers[.idempotentReplayed] = "true"
            return response
        case .mismatch:
            throw APIError.idempotencyKeyReused
        case .inFlight:
            throw APIError.idempotentRequestInFlight
        case .reserved(let reservation):
            holder = reservation
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            try? await store.release(holder, logger: context.logger)
            throw error
        }
        guard (200..<300).contains(response.status.code) else {
            try await store.release(holder, logger: context.logger)
            return response
        }
        var collected = response
        let body = try await Self.collect(response.body)
        collected.body = .init(byteBuffer: body)
        try await store.complete(
            holder,
            response: .init(status: response.status.code, contentType: response.headers[.contentType], body: Data(buffer: body)),
            logger: context.logger)
        return collected
    }

    /// Reads a response body into one buffer (our JSON bodies are already one buffer).
    private static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let sink = BufferSink()
        try await body.write(sink)
        return sink.buffer.withLock { $0 }
    }
}

/// A `ResponseBodyWriter` that keeps what is written.
private final class BufferSink: ResponseBodyWriter, Sendable {
    let buffer = Mutex(ByteBuffer())

    func write(_ buffer: ByteBuffer) async throws {
        self.buffer.withLock { _ = $0.writeImmutableBuffer(buffer) }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
