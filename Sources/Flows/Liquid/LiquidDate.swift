import Foundation

/// The `date` filter: reads `now`/`today`, Unix seconds, ISO 8601 and `YYYY-MM-DD[ HH:MM[:SS]]`, and formats with
/// strftime directives, in UTC.
enum LiquidDate {
    static func format(_ input: JSONValue, with format: String, now: Date) throws(LiquidError) -> String {
        guard let date = date(input, now: now) else { return LiquidRenderer<JSONValue>.text(of: input) }
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday, .nanosecond], from: date)
        let (year, month, day) = (c.year ?? 1970, c.month ?? 1, c.day ?? 1)
        let (hour, minute, second) = (c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
        var output = ""
        var characters = format.makeIterator()
        while let character = characters.next() {
            guard character == "%" else {
                output.append(character)
                continue
            }
            guard let directive = characters.next() else {
                output.append("%")
                break
            }
            switch directive {
            case "Y": output += String(year)
            case "y": output += pad(year % 100)
            case "m": output += pad(month)
            case "d": output += pad(day)
            case "e": output += (day < 10 ? " " : "") + String(day)
            case "H": output += pad(hour)
            case "I": output += pad(hour % 12 == 0 ? 12 : hour % 12)
            case "l": output += String(hour % 12 == 0 ? 12 : hour % 12)
            case "M": output += pad(minute)
            case "S": output += pad(second)
            case "L": output += pad((c.nanosecond ?? 0) / 1_000_000, width: 3)
            case "p": output += hour < 12 ? "AM" : "PM"
            case "P": output += hour < 12 ? "am" : "pm"
            case "b", "h": output += String(months[month - 1].prefix(3))
            case "B": output += months[month - 1]
            case "a": output += String(weekdays[(c.weekday ?? 1) - 1].prefix(3))
            case "A": output += weekdays[(c.weekday ?? 1) - 1]
            case "u": output += String(((c.weekday ?? 1) + 5) % 7 + 1)
            case "w": output += String((c.weekday ?? 1) - 1)
            case "j": output += pad(calendar.ordinality(of: .day, in: .year, for: date) ?? 1, width: 3)
            case "Z": output += "UTC"
            case "z": output += "+0000"
            case "s": output += String(Int(date.timeIntervalSince1970.rounded(.down)))
            case "F": output += "\(year)-\(pad(month))-\(pad(day))"
            case "T": output += "\(pad(hour)):\(pad(minute)):\(pad(second))"
            case "%": output += "%"
            default: output += "%" + String(directive)
            }
        }
        return output
    }

    static func date(_ input: JSONValue, now: Date) -> Date? {
        switch input {
        case .integer(let seconds): return Date(timeIntervalSince1970: TimeInterval(seconds))
        case .double(let seconds): return Date(timeIntervalSince1970: seconds)
        case .string(let raw):
            let text = raw.trimmingWhitespace()
            if text == "now" || text == "today" { return now }
            if let seconds = Int(text) { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
            if let date = try? Date(text, strategy: .iso8601) { return date }
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
            return plain(text)
        default: return nil
        }
    }

    /// `YYYY-MM-DD`, optionally with ` HH:MM` or ` HH:MM:SS` (or `T` between).
    private static func plain(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard let datePart = parts.first else { return nil }
        let ymd = datePart.split(separator: "-").compactMap { Int($0) }
        guard ymd.count == 3 else { return nil }
        var components = DateComponents(year: ymd[0], month: ymd[1], day: ymd[2])
        if parts.count > 1 {
            let hms = parts[1].split(separator: ":").compactMap { Int($0) }
            guard hms.count >= 2 else { return nil }
            components.hour = hms[0]
            components.minute = hms[1]
            components.second = hms.count > 2 ? hms[2] : 0
        }
        return calendar.date(from: components)
    }

    private static func pad(_ value: Int, width: Int = 2) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]
    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        return calendar
    }()
}
