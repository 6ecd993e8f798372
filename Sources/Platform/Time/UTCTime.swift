import Foundation

/// Calendar fields of an instant in UTC, computed with `gmtime_r` (thread-safe, no locale, no ICU):
/// the formats on our hot paths (log timestamps, Twilio's dates) are fixed, so they need no formatter.
public struct UTCTime: Sendable {
    public let year: Int
    /// 1...12
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int
    /// 0 = Sunday
    public let weekday: Int
    public let millisecond: Int

    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        year = Int(parts.tm_year) + 1900
        month = Int(parts.tm_mon) + 1
        day = Int(parts.tm_mday)
        hour = Int(parts.tm_hour)
        minute = Int(parts.tm_min)
        second = Int(parts.tm_sec)
        weekday = Int(parts.tm_wday)
        millisecond = min(999, Int((interval - interval.rounded(.down)) * 1000))
    }

    /// `2015-07-30T20:00:00` (no fraction, no zone).
    public var isoDateTime: String {
        "\(year)-\(Self.pad(month))-\(Self.pad(day))T\(Self.pad(hour)):\(Self.pad(minute)):\(Self.pad(second))"
    }

    /// Zero-padded to `width` digits.
    public static func pad(_ value: Int, width: Int = 2) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
