import Foundation

/// When to try a failed delivery again.
///
/// The standard schedule retries eleven times after the first attempt, each wait drawn uniformly from
/// zero up to its step — 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h, 24 h, 24 h — and then
/// gives up. The steps add up to 70.7 hours (about three days); the random waits average half that. Drawing from the whole step
/// ("full jitter") spreads out deliveries that failed together (an endpoint went down with a thousand
/// events queued) instead of sending them back in waves.
public struct RetrySchedule: Sendable, Equatable {
    public static let standard = RetrySchedule(steps: [
        .seconds(5), .seconds(30), .seconds(120), .seconds(600), .seconds(1800),
        .seconds(3600), .seconds(3 * 3600), .seconds(6 * 3600), .seconds(12 * 3600), .seconds(24 * 3600),
        .seconds(24 * 3600),
    ])

    /// The longest wait of each retry, in order.
    public var steps: [Duration]
    /// The most a `Retry-After` from the receiver can make us wait.
    public var maximumRetryAfter: Duration

    public init(steps: [Duration], maximumRetryAfter: Duration = .seconds(3600)) {
        self.steps = steps
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// How long to wait after attempt number `attempt` (the first delivery is 1) failed, or `nil` once
    /// every retry is spent.
    ///
    /// A `Retry-After` the receiver sent is a floor: we never come back sooner than asked, but never
    /// wait longer than ``maximumRetryAfter`` for it (a receiver cannot park a delivery for days), and it
    /// never shortens our own backoff. Up to a tenth more is added at random, so deliveries told the
    /// same instant do not all return in it. It grants no extra attempts.
    public func nextDelay(
        afterAttempt attempt: Int, retryAfter: Duration? = nil, using generator: inout some RandomNumberGenerator
    ) -> Duration? {
        // Attempt counts come from stored rows; one below 1 is treated as the first.
        let index = max(attempt, 1) - 1
        guard index < steps.count else { return nil }
        let backoff = Self.randomDuration(upTo: steps[index], using: &generator)
        guard let retryAfter else { return backoff }
        let floor = min(max(retryAfter, .zero), maximumRetryAfter)
        return max(backoff, floor + Self.randomDuration(upTo: floor / 10, using: &generator))
    }

    /// A schedule written as comma-separated steps with a unit, e.g. `5s,30s,2m,10m,1h,24h` (units `s`, `m`, `h`;
    /// at least one step). Retries happen as many times as there are steps.
    public static func parse(_ text: String) throws(RetryScheduleError) -> RetrySchedule {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var steps: [Duration] = []
        for entry in entries {
            guard let unit = entry.last, let multiplier = ["s": 1, "m": 60, "h": 3600][unit],
                let count = Int64(entry.dropLast()), count > 0, count <= 7 * 24 * 3600 / multiplier
            else { throw .invalidStep(entry) }
            steps.append(.seconds(count * Int64(multiplier)))
        }
        return RetrySchedule(steps: steps)
    }

    /// ``nextDelay(afterAttempt:retryAfter:using:)`` with the system's random numbers.
    public func nextDelay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration? {
        var generator = SystemRandomNumberGenerator()
        return nextDelay(afterAttempt: attempt, retryAfter: retryAfter, using: &generator)
    }

    /// Uniform in `0...limit`, to the millisecond.
    private static func randomDuration(upTo limit: Duration, using generator: inout some RandomNumberGenerator) -> Duration {
        let (seconds, attoseconds) = limit.components
        let milliseconds = max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        return .milliseconds(Int64.random(in: 0...milliseconds, using: &generator))
    }
}

/// The `Retry-After` response header (RFC 9110 §10.2.3): a number of seconds, or an HTTP date.
public enum RetryAfter {
    /// How long the header asks us to wait from `now`; zero for a date already past, `nil` when the
    /// header is neither form. Dates are accepted in the IMF-fixdate form every sender must use
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`), not in the obsolete RFC 850 and asctime forms; the day name
    /// is not checked against the date.
    public static func parse(_ header: String, now: Date) -> Duration? {
        let value = header.trimmingCharacters(in: .whitespaces)
        let bytes = Array(value.utf8)
        if !bytes.isEmpty, bytes.allSatisfy({ (0x30...0x39).contains($0) }) {
            // Too many digits for Int64 still means "a long time"; the schedule caps it anyway.
            return .seconds(Int64(value) ?? .max)
        }
        guard let date = imfFixdate(bytes) else { return nil }
        return .seconds(max(0, date - now.timeIntervalSince1970))
    }

    private static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Seconds since 1970 of `Sun, 06 Nov 1994 08:49:37 GMT`, fields at fixed offsets.
    private static func imfFixdate(_ bytes: [UInt8]) -> TimeInterval? {
        guard bytes.count == 29 else { return nil }
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func number(_ range: Range<Int>) -> Int? {
            bytes[range].allSatisfy({ (0x30...0x39).contains($0) }) ? Int(text(range)) : nil
        }
        guard dayNames.contains(text(0..<3)), text(3..<5) == ", ", bytes[7] == 0x20, bytes[11] == 0x20,
            bytes[16] == 0x20, bytes[19] == 0x3a, bytes[22] == 0x3a, text(25..<29) == " GMT",
            let day = number(5..<7), let monthIndex = monthNames.firstIndex(of: text(8..<11)),
            let year = number(12..<16), let hour = number(17..<19), let minute = number(20..<22),
            let second = number(23..<25)
        else { return nil }
        let month = monthIndex + 1
        guard (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        let days = daysSince1970(year: year, month: month, day: day)
        return TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
    /// `days_from_civil`, for years 0 and later).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

public enum RetryScheduleError: Error, Equatable, CustomStringConvertible {
    case invalidStep(String)

    public var description: String {
        switch self {
        case .invalidStep(let step):
            "invalid retry step \"\(step)\": expected a positive whole number of s, m or h, at most a week (e.g. 5s,30s,2m,1h)"
        }
    }
}
