import Foundation
import Logging
import Platform
import PostgresNIO

/// A media stream's status callback events, Twilio's names.
public enum StreamCallbackEvent: String, Sendable, CaseIterable {
    case started = "stream-started"
    case stopped = "stream-stopped"
    case error = "stream-error"
    case warning = "stream-warning"

    /// The native event type subscribers see (`stream.started`, `stream.stopped`…).
    public var eventType: String { "stream." + rawValue.dropFirst("stream-".count) }
}

/// Reports a stream's changes, in the transaction that makes them: a Twilio status callback to the stream's
/// `StatusCallback` (signed, sent one at a time per stream in the order written) and a native event for the
/// account's subscribers. Both go through the events engine.
enum StreamCallbacks {
    /// `StreamWarning` of a `stream-warning`: the consumer did not read fast enough (Twilio's warning 31930).
    static let bufferOverflow = "Stream - Media - Buffer Overflow: the consumer did not keep up and audio frames were dropped"

    /// Queues `event` for `stream`. `stream-error` carries the stream's `error`; `stream-warning` the frames
    /// dropped since the last warning.
    static func emit(
        _ event: StreamCallbackEvent, stream: MediaStream, droppedFrames: Int? = nil,
        outbox: EventOutbox, on connection: PostgresConnection, logger: Logger
    ) async throws {
        var data: [(name: String, value: EventValue)] = [
            ("room_sid", .string(stream.roomSid.rawValue)), ("participant_sid", .string(stream.participantSid.rawValue)),
            ("stream_sid", .string(stream.sid.rawValue)),
        ]
        if let name = stream.name { data.append(("stream_name", .string(name))) }
        data.append(("stream_event", .string(event.rawValue)))
        switch event {
        case .error: data.append(("stream_error", .string(stream.error ?? "")))
        case .warning: data += [("stream_warning", .string(bufferOverflow)), ("dropped_frames", .integer(droppedFrames ?? 0))]
        case .started, .stopped: break
        }
        let native = Event(type: event.eventType, accountSid: stream.accountSid, data: data)
        try await outbox.record(native, on: connection, logger: logger)
        guard let callback = stream.statusCallback, !callback.isEmpty else { return }
        var parameters = [("AccountSid", stream.accountSid.rawValue), ("Timestamp", EventValue.timestamp(native.occurredAt))]
        parameters += data.map { (Event.pascalCase($0.name), $0.value.formValue) }
        try await TwilioCallback.enqueue(
            account: stream.accountSid, type: "stream.status_callback", url: callback, method: stream.statusCallbackMethod,
            parameters: parameters, orderingKey: stream.sid.rawValue, on: connection, logger: logger)
    }
}
