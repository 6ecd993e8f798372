import Flows
import Foundation
import Logging
import Platform
import PostgresNIO

extension FlowEngine {
    /// Performs, in the transaction, the effects that need no waiting: messages (written with the step that sends
    /// them) and call instructions (there are no calls yet). Stops at an HTTP request or a reply to wait for.
    /// Returns whether any message was queued.
    func performImmediateEffects(
        _ execution: inout FlowExecution, _ steps: inout [StepRecord], _ interpreter: FlowInterpreter, account: SID,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        var sent = false
        while let pending = execution.pending, pending.sent == nil {
            let result: FlowEffectResult
            switch pending.effect {
            case .httpRequest:
                return sent
            case .sendMessage(let message), .sendAndWait(let message, _):
                result = try await send(message, account: account, on: connection, logger: logger)
                if case .messageSent = result { sent = true }
            case .call:
                result = .callUnavailable("voice channel not available")
            }
            guard let more = interpreter.resume(&execution, sequence: pending.sequence, with: result) else { return sent }
            steps += more
        }
        return sent
    }

    /// Queues a widget's message; a message Parley refuses (an address that is not a number, a number the account
    /// cannot send from) is the widget's failure, not an error.
    private func send(_ message: FlowOutboundMessage, account: SID, on connection: PostgresConnection, logger: Logger) async throws -> FlowEffectResult {
        guard let from = PhoneNumber(lenient: message.from) else { return .messageFailed("'\(message.from)' is not a phone number") }
        guard let to = PhoneNumber(lenient: message.to) else { return .messageFailed("'\(message.to)' is not a phone number") }
        guard !message.body.isEmpty, message.body.count <= MessageRepository.maximumBodyLength else {
            return .messageFailed("the body must have 1 to \(MessageRepository.maximumBodyLength) characters")
        }
        var new = NewMessage(from: from, to: to, body: message.body)
        new.mediaURLs = message.mediaURL.map { [$0] } ?? []
        do {
            let created = try await messages.create(new, account: account, on: connection, logger: logger)
            return .messageSent(FlowSentMessage(sid: created.sid.rawValue, status: created.status.rawValue, from: created.from, to: created.to, body: created.body))
        } catch let error as MessageError {
            return .messageFailed("\(error)")
        }
    }

    /// After a commit: wakes the message sender and status callbacks, and makes the HTTP request the execution now
    /// waits for (under the lease just written).
    func afterCommit(_ sid: SID, _ execution: FlowExecution, sentMessages: Bool) {
        outbox.committed()
        if sentMessages { sending.ring() }
        guard !execution.hasEnded, let pending = execution.pending, case .httpRequest(let request) = pending.effect else { return }
        Task { await performHTTP(request, for: sid, sequence: pending.sequence) }
    }

    /// Makes a widget's request through the egress guard (10 s at most) and resumes the execution with the answer.
    func performHTTP(_ request: FlowHTTPRequest, for sid: SID, sequence: Int) async {
        let result = await client.send(Self.outbound(request))
        let outcome: FlowEffectResult
        if let failure = result.failure {
            outcome = .httpFailure(failure.description)
        } else if let status = result.statusCode {
            let contentType = result.headers.first { $0.0.lowercased() == "content-type" }?.1
            outcome = result.bodyTruncated || result.body.count > limits.maximumHTTPBodyBytes
                ? .httpFailure("answer larger than \(limits.maximumHTTPBodyBytes) bytes")
                : .httpResponse(status: status, contentType: contentType, body: String(decoding: result.body, as: UTF8.self))
        } else {
            outcome = .httpFailure("no answer")
        }
        do {
            try await resume(sid, sequence: sequence, with: outcome, logger: logger)
        } catch {
            // The lease runs out and the sweeper makes the request again.
            logger.warning("could not record a flow's HTTP answer", metadata: ["execution": "\(sid)", "error": "\(error)"])
        }
    }

    /// The request as sent: parameters in the query of a GET or DELETE, else as a form body (unless a JSON body is
    /// given); Studio's 10 s limit as a connection override, unless the URL sets its own.
    static func outbound(_ request: FlowHTTPRequest) -> OutboundRequest {
        let encoded = FormEncoding.encode(request.parameters.map { ($0.key, $0.value) })
        let method = request.method.uppercased()
        var url = request.url
        if !url.contains("#") { url += "#tt=10000&rt=10000" }
        if method == "GET" || method == "DELETE" {
            if !encoded.isEmpty {
                let hash = url.firstIndex(of: "#") ?? url.endIndex
                let base = url[..<hash]
                url = base + (base.contains("?") ? "&" : "?") + encoded + url[hash...]
            }
            return OutboundRequest(url: url, method: method)
        }
        if let json = request.jsonBody {
            return OutboundRequest(url: url, method: method, headers: [("Content-Type", "application/json")], body: Array(json.utf8))
        }
        return OutboundRequest(url: url, method: method, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(encoded.utf8))
    }
}
