import Foundation

/// What an effect's result does to the widget waiting for it.
enum WidgetCompletion {
    /// The widget ends with `event`, adding `outputs` to `widgets.NAME`.
    case event(String, outputs: JSONValue)
    /// `send-and-wait-for-reply` has sent its message and now waits for the reply until `deadline`.
    case stillWaiting(FlowSentMessage, deadline: Date)
    /// The widget failed: the execution ends.
    case failure(String)
}

extension FlowInterpreter {
    /// How `result` completes the widget of `state` waiting on `pending`; nil when it does not fit.
    func completion(of pending: PendingEffect, in state: CompiledState, with result: FlowEffectResult) -> WidgetCompletion? {
        switch (pending.effect, result) {
        case (.httpRequest, .httpResponse(let status, let contentType, let body)):
            let (success, failure) = if case .runFunction = state.widget { ("success", "fail") } else { ("success", "failed") }
            guard body.utf8.count <= limits.maximumHTTPBodyBytes else {
                return .event(failure, outputs: .object(["status_code": .integer(status), "error": .string("answer larger than \(limits.maximumHTTPBodyBytes) bytes")]))
            }
            var outputs: [String: JSONValue] = [
                "status_code": .integer(status), "content_type": .string(contentType ?? ""), "body": .string(body),
            ]
            let succeeded = (200..<300).contains(status)
            // Studio parses only a JSON object, and only from a successful answer.
            if succeeded, case .object? = JSONValue(parsing: body) { outputs["parsed"] = JSONValue(parsing: body) }
            return .event(succeeded ? success : failure, outputs: .object(outputs))
        case (.httpRequest, .httpFailure(let reason)):
            let failure = if case .runFunction = state.widget { "fail" } else { "failed" }
            return .event(failure, outputs: .object(["error": .string(reason)]))
        case (.sendMessage, .messageSent(let message)):
            return .event("sent", outputs: message.outputs)
        case (.sendMessage, .messageFailed(let reason)):
            return .event("failed", outputs: .object(["error": .string(reason)]))
        case (.sendAndWait(_, let timeout), .messageSent(let message)) where pending.sent == nil:
            return .stillWaiting(message, deadline: clock().addingTimeInterval(TimeInterval(timeout)))
        case (.sendAndWait, .messageFailed(let reason)) where pending.sent == nil:
            return .event("deliveryFailure", outputs: .object(["outbound": .object(["Status": .string("failed")]), "error": .string(reason)]))
        case (.sendAndWait, .replyReceived(let parameters)):
            guard let sent = pending.sent else { return nil }
            return .event("incomingMessage", outputs: .object(["outbound": sent.outputs, "inbound": .object(parameters.mapValues(JSONValue.string))]))
        case (.sendAndWait, .replyTimedOut):
            guard let sent = pending.sent else { return nil }
            return .event("timeout", outputs: .object(["outbound": sent.outputs]))
        case (.sendAndWait, .deliveryFailed(let status)):
            guard let sent = pending.sent else { return nil }
            let outbound = FlowSentMessage(sid: sent.sid, status: status, from: sent.from, to: sent.to, body: sent.body)
            return .event("deliveryFailure", outputs: .object(["outbound": outbound.outputs]))
        case (.call, .callUnavailable(let reason)):
            return .failure(reason)
        default:
            return nil
        }
    }
}
