import Foundation
import Synchronization

/// The condition operators of `split-based-on`, by their Studio names.
///
/// Strings compare case-insensitively after trimming white space (as Studio documents); `matches_any_of` splits
/// its value on commas and trims each alternative; `is_blank` ignores its value. `regex` searches the trimmed input
/// for the pattern, ignoring case (an invalid pattern never matches). `less_than`/`greater_than` compare numbers;
/// when either side is not a number the condition does not hold.
///
/// The time and date operators compare the *input* (say `{{flow.data.time}}`) with the value, as Studio does:
/// times are `HH:MM` (24 h) and dates `YYYY-MM-DD`; the input may also be an ISO 8601 date-time, whose UTC time or
/// date is taken, or the word `now` (`today` for dates), meaning the moment of the step. An input that is none of
/// these does not hold either way.
public enum SplitComparison: String, Sendable, CaseIterable {
    case equalTo = "equal_to"
    case notEqualTo = "not_equal_to"
    case matchesAnyOf = "matches_any_of"
    case doesNotMatchAnyOf = "does_not_match_any_of"
    case contains
    case doesNotContain = "does_not_contain"
    case startsWith = "starts_with"
    case doesNotStartWith = "does_not_start_with"
    case isBlank = "is_blank"
    case isNotBlank = "is_not_blank"
    case regex
    case lessThan = "less_than"
    case greaterThan = "greater_than"
    case isBeforeTime = "is_before_time"
    case isAfterTime = "is_after_time"
    case isBeforeDate = "is_before_date"
    case isAfterDate = "is_after_date"

    /// Whether `input` satisfies the comparison with `value`.
    public func holds(input: String, value: String, now: Date) -> Bool {
        let subject = Self.normalized(input)
        let operand = Self.normalized(value)
        switch self {
        case .equalTo: return subject == operand
        case .notEqualTo: return subject != operand
        case .matchesAnyOf: return Self.isAlternative(subject, of: value)
        case .doesNotMatchAnyOf: return !Self.isAlternative(subject, of: value)
        case .contains: return subject.contains(operand)
        case .doesNotContain: return !subject.contains(operand)
        case .startsWith: return subject.hasPrefix(operand)
        case .doesNotStartWith: return !subject.hasPrefix(operand)
        case .isBlank: return subject.isEmpty
        case .isNotBlank: return !subject.isEmpty
        case .regex:
            guard let expression = Self.expression(value) else { return false }
            let text = input.trimmingCharacters(in: .whitespacesAndNewlines)
            return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        case .lessThan, .greaterThan:
            guard let left = Double(subject), let right = Double(operand), left.isFinite, right.isFinite else { return false }
            return self == .lessThan ? left < right : left > right
        case .isBeforeTime, .isAfterTime:
            guard let left = Self.minuteOfDay(subject, now: now), let right = Self.minuteOfDay(operand, now: now) else { return false }
            return self == .isBeforeTime ? left < right : left > right
        case .isBeforeDate, .isAfterDate:
            guard let left = Self.day(subject, now: now), let right = Self.day(operand, now: now) else { return false }
            return self == .isBeforeDate ? left < right : left > right
        }
    }

    /// What is wrong with a literal `value` for this operator (templated values are checked when they run).
    func problem(with value: String) -> String? {
        guard !value.contains("{{"), !value.contains("{%") else { return nil }
        let operand = Self.normalized(value)
        switch self {
        case .regex:
            if Self.expression(value) == nil { return "has an invalid regex: '\(value)'" }
        case .lessThan, .greaterThan:
            if Double(operand) == nil { return "needs a number, not '\(value)'" }
        case .isBeforeTime, .isAfterTime:
            if Self.minuteOfDay(operand, now: Date()) == nil { return "needs a time as HH:MM, not '\(value)'" }
        case .isBeforeDate, .isAfterDate:
            if Self.day(operand, now: Date()) == nil { return "needs a date as YYYY-MM-DD, not '\(value)'" }
        default:
            break
        }
        return nil
    }

    static func normalized(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }

    /// Whether the normalized `subject` is one of the comma-separated `list` (empty alternatives are no alternative).
    static func isAlternative(_ subject: String, of list: String) -> Bool {
        !subject.isEmpty && list.split(separator: ",").contains { normalized(String($0)) == subject }
    }

    /// `pattern` compiled case-insensitively; nil when it does not compile. Compiled patterns are kept (a split runs
    /// at every step, usually with the same literal pattern); the cache is emptied when it grows past 256.
    static func expression(_ pattern: String) -> NSRegularExpression? {
        if let cached = expressions.withLock({ $0[pattern] }) { return cached }
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return nil }
        expressions.withLock { cache in
            if cache.count >= 256 { cache.removeAll() }
            cache[pattern] = expression
        }
        return expression
    }

    private static let expressions = Mutex<[String: NSRegularExpression]>([:])

    /// Minutes since midnight UTC of `HH:MM`, an ISO 8601 date-time, or `now`.
    static func minuteOfDay(_ text: String, now: Date) -> Int? {
        if text == "now" { return utc.component(.hour, from: now) * 60 + utc.component(.minute, from: now) }
        if let date = dateTime(text) { return utc.component(.hour, from: date) * 60 + utc.component(.minute, from: date) }
        let parts = text.split(separator: ":")
        guard parts.count == 2 || parts.count == 3, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0..<24).contains(hour), (0..<60).contains(minute), parts[1].count == 2
        else { return nil }
        return hour * 60 + minute
    }

    /// Days since 1970 (UTC) of `YYYY-MM-DD`, an ISO 8601 date-time, or `today`/`now`.
    static func day(_ text: String, now: Date) -> Int? {
        let date: Date
        if text == "today" || text == "now" {
            date = now
        } else if let moment = dateTime(text) {
            date = moment
        } else {
            let parts = text.split(separator: "-")
            guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]),
                (1...12).contains(month), let moment = utc.date(from: DateComponents(year: year, month: month, day: dayOfMonth)),
                utc.component(.day, from: moment) == dayOfMonth
            else { return nil }
            date = moment
        }
        return Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    private static func dateTime(_ text: String) -> Date? {
        guard text.count > 10, text.contains("t") else { return nil }
        return try? Date(text.uppercased(), strategy: .iso8601)
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        return calendar
    }()
}
