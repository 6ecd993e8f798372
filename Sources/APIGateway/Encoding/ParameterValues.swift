import Foundation
import Platform

/// Parameter values every controller parses the same way: whole numbers in a range, dates.
enum ParameterValues {
    /// A whole number in `range`; `context` ends the message (" minutes", " for a go room").
    static func integer(_ name: String, _ text: String, in range: ClosedRange<Int>, context: String = "") throws -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw APIError.invalidParameter(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)\(context)")
        }
        return value
    }

    /// An ISO 8601 date-time (`2026-11-21T20:00:00Z`; fractions and `±hh:mm` offsets allowed) or a date
    /// (`2026-11-21`, midnight UTC). Anything else, impossible dates included, is 400.
    static func date(_ name: String, _ text: String) throws -> Date {
        guard let date = parseDate(text) else {
            throw APIError.invalidParameter(name, "must be an ISO 8601 date-time such as 2026-11-21T20:00:00Z, or a date such as 2026-11-21")
        }
        return date
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar
    }()

    static func parseDate(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= chars.count else { return nil }
            var value = 0
            for byte in chars[start..<(start + count)] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func at(_ index: Int, _ character: Character) -> Bool { index < chars.count && chars[index] == character.asciiValue }
        guard chars.count >= 10, at(4, "-"), at(7, "-"), let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var fraction = 0.0
        var offset = 0
        if chars.count > 10 {
            guard at(10, "T"), at(13, ":"), at(16, ":"), let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
                hour < 24, minute < 60, second < 60
            else { return nil }
            components.hour = hour
            components.minute = minute
            components.second = second
            var index = 19
            if at(index, ".") {
                let start = index + 1
                index = start
                while index < chars.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(chars[index]) { index += 1 }
                guard index > start, let value = Double("0." + String(decoding: chars[start..<index], as: UTF8.self)) else { return nil }
                fraction = value
            }
            if at(index, "Z"), index + 1 == chars.count {
                offset = 0
            } else if at(index, "+") || at(index, "-"), index + 6 == chars.count, at(index + 3, ":"),
                let hours = digits(index + 1, 2), let minutes = digits(index + 4, 2), hours < 24, minutes < 60
            {
                offset = (hours * 60 + minutes) * 60 * (at(index, "-") ? -1 : 1)
            } else {
                return nil
            }
        }
        // A day the month lacks (2026-02-30) comes back as another day: refuse it.
        guard let date = utc.date(from: components), utc.component(.day, from: date) == day else { return nil }
        return date.addingTimeInterval(fraction - TimeInterval(offset))
    }
}
