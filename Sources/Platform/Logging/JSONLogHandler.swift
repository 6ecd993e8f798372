import Foundation
import Logging

/// Writes one JSON object per log line (to stdout for the server, stderr for one-shot commands whose
/// stdout is their output):
/// `{"ts":…,"level":…,"message":…,"label":…, …metadata in key order}`.
///
/// Lines are built by hand rather than with `JSONSerialization`: the gateway logs every request, and
/// Foundation's sorted-key serialisation (locale-aware comparison through ICU) cost more than the
/// request itself. A whole line goes out in one `write(2)`, so concurrent lines never interleave.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let descriptor: Int32

    public init(label: String, level: Logger.Level = .info, descriptor: Int32 = STDOUT_FILENO, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.descriptor = descriptor
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        var line = JSONObjectWriter()
        line.field("ts", Self.timestamp())
        line.field("level", event.level.rawValue)
        line.field("message", event.message.description)
        line.field("label", label)
        for key in fields.keys.sorted() where !["ts", "level", "message", "label"].contains(key) {
            line.field(key, json: Self.json(fields[key]!))
        }
        let bytes = line.finished() + [UInt8(ascii: "\n")]
        bytes.withUnsafeBytes { _ = write(descriptor, $0.baseAddress, $0.count) }
    }

    private static func json(_ value: Logger.MetadataValue) -> [UInt8] {
        var bytes: [UInt8] = []
        switch value {
        case .string(let string): JSONObjectWriter.appendString(string, to: &bytes)
        case .stringConvertible(let convertible): JSONObjectWriter.appendString(convertible.description, to: &bytes)
        case .array(let values):
            bytes = [UInt8(ascii: "[")] + values.map(json).joined(separator: [UInt8(ascii: ",")]) + [UInt8(ascii: "]")]
        case .dictionary(let dictionary):
            var object = JSONObjectWriter()
            for key in dictionary.keys.sorted() { object.field(key, json: json(dictionary[key]!)) }
            bytes = object.finished()
        }
        return bytes
    }

    /// `2026-11-21T18:44:57.123Z`
    static func timestamp() -> String {
        let time = UTCTime(Date())
        return "\(time.isoDateTime).\(UTCTime.pad(time.millisecond, width: 3))Z"
    }
}
