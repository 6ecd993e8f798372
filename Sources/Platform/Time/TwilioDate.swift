import Foundation

/// Date formats on Twilio's wire: RFC 2822 in API 2010 (`Thu, 30 Jul 2015 20:00:00 +0000`) and
/// ISO 8601 in the v1/v2 products (`2015-07-30T20:00:00Z`), always UTC, whole seconds.
public enum TwilioDate {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func rfc2822(_ date: Date) -> String {
        let t = UTCTime(date)
        return "\(weekdays[t.weekday]), \(UTCTime.pad(t.day)) \(months[t.month - 1]) \(t.year) "
            + "\(UTCTime.pad(t.hour)):\(UTCTime.pad(t.minute)):\(UTCTime.pad(t.second)) +0000"
    }

    public static func iso8601(_ date: Date) -> String {
        UTCTime(date).isoDateTime + "Z"
    }
}
