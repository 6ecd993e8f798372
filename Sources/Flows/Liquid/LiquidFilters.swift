import Foundation

/// Liquid's standard filters. Arithmetic keeps integers integral (`7 | divided_by: 2` is 3) and never traps.
enum LiquidFilters {
    static let names: Set<String> = [
        "default", "upcase", "downcase", "capitalize", "strip", "lstrip", "rstrip", "strip_newlines", "strip_html", "newline_to_br",
        "size", "first", "last", "join", "split", "reverse", "sort", "uniq", "compact", "concat", "map", "where", "sum", "slice",
        "replace", "replace_first", "remove", "remove_first", "append", "prepend", "truncate", "truncatewords",
        "plus", "minus", "times", "divided_by", "modulo", "round", "ceil", "floor", "abs", "at_least", "at_most",
        "date", "url_encode", "url_decode", "escape", "escape_once", "to_json",
    ]

    static func apply(_ name: String, to input: JSONValue, _ arguments: [JSONValue], now: Date) throws(LiquidError) -> JSONValue {
        func argument(_ index: Int) throws(LiquidError) -> JSONValue {
            guard index < arguments.count else { throw LiquidError("filter '\(name)' needs \(index + 1) argument\(index == 0 ? "" : "s")") }
            return arguments[index]
        }
        func text(_ value: JSONValue) -> String { LiquidRenderer<JSONValue>.text(of: value) }
        let string = text(input)
        switch name {
        case "default":
            let fallback = try argument(0)
            return LiquidRenderer<JSONValue>.isBlank(input) || LiquidRenderer<JSONValue>.isEmpty(input) ? fallback : input
        case "upcase": return .string(string.uppercased())
        case "downcase": return .string(string.lowercased())
        case "capitalize": return .string(string.prefix(1).uppercased() + string.dropFirst().lowercased())
        case "strip": return .string(string.trimmingWhitespace())
        case "lstrip": return .string(String(string.drop(while: \.isWhitespace)))
        case "rstrip": return .string(String(string.reversed().drop(while: \.isWhitespace).reversed()))
        case "strip_newlines": return .string(string.filter { $0 != "\n" && $0 != "\r\n" && $0 != "\r" })
        case "strip_html": return .string(string.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression))
        case "newline_to_br": return .string(string.replacingOccurrences(of: "\n", with: "<br />\n"))
        case "size":
            switch input {
            case .array(let elements): return .integer(elements.count)
            case .object(let members): return .integer(members.count)
            case .null: return .integer(0)
            default: return .integer(string.count)
            }
        case "first", "last":
            switch input {
            case .array(let elements): return (name == "first" ? elements.first : elements.last) ?? .null
            case .string(let text): return .string((name == "first" ? text.first : text.last).map(String.init) ?? "")
            default: return .null
            }
        case "join": return .string(array(input).map(text).joined(separator: arguments.isEmpty ? " " : text(arguments[0])))
        case "split":
            let separator = text(try argument(0))
            let parts = separator.isEmpty ? string.map(String.init) : string.components(separatedBy: separator)
            return .array(parts.map(JSONValue.string))
        case "reverse": return input.arrayValue.map { .array($0.reversed()) } ?? .string(String(string.reversed()))
        case "sort": return .array(array(input).sorted { text($0) < text($1) })
        case "uniq":
            var seen = Set<JSONValue>()
            return .array(array(input).filter { seen.insert($0).inserted })
        case "compact": return .array(array(input).filter { $0 != .null })
        case "concat": return .array(array(input) + array(try argument(0)))
        case "map":
            let key = text(try argument(0))
            return .array(array(input).map { $0[key] ?? .null })
        case "where":
            let key = text(try argument(0))
            let wanted = arguments.count > 1 ? arguments[1] : nil
            return .array(array(input).filter { element in
                guard let value = element[key] else { return false }
                return wanted.map { LiquidRenderer<JSONValue>.equal(value, $0) } ?? LiquidRenderer<JSONValue>.isTruthy(value)
            })
        case "sum":
            var total = JSONValue.integer(0)
            for element in array(input) where number(element) != nil { total = try arithmetic("plus", total, element) }
            return total
        case "slice":
            let start = Int(number(try argument(0)) ?? 0)
            let length = arguments.count > 1 ? Int(number(arguments[1]) ?? 1) : 1
            if case .array(let elements) = input { return .array(slice(elements, start, length)) }
            return .string(String(slice(Array(string), start, length)))
        case "replace", "replace_first", "remove", "remove_first":
            let target = text(try argument(0))
            let replacement = name.hasPrefix("replace") ? text(try argument(1)) : ""
            guard !target.isEmpty else { return .string(string) }
            if name.hasSuffix("_first"), let range = string.range(of: target) {
                return .string(string.replacingCharacters(in: range, with: replacement))
            }
            return .string(name.hasSuffix("_first") ? string : string.replacingOccurrences(of: target, with: replacement))
        case "append": return .string(string + text(try argument(0)))
        case "prepend": return .string(text(try argument(0)) + string)
        case "truncate":
            let limit = max(0, Int(number(try argument(0)) ?? 50))
            let ellipsis = arguments.count > 1 ? text(arguments[1]) : "..."
            guard string.count > limit else { return .string(string) }
            return .string(String(string.prefix(max(0, limit - ellipsis.count))) + ellipsis)
        case "truncatewords":
            let limit = max(1, Int(number(try argument(0)) ?? 15))
            let ellipsis = arguments.count > 1 ? text(arguments[1]) : "..."
            let words = string.split(whereSeparator: \.isWhitespace)
            return .string(words.count > limit ? words.prefix(limit).joined(separator: " ") + ellipsis : string)
        case "plus", "minus", "times", "divided_by", "modulo", "at_least", "at_most":
            return try arithmetic(name, input, try argument(0))
        case "round":
            let places = arguments.isEmpty ? 0 : Int(number(arguments[0]) ?? 0)
            guard let value = number(input) else { return input }
            if places <= 0, let integer = Int(exactly: value.rounded()) { return .integer(integer) }
            let scale = pow(10, Double(min(places, 15)))
            return .double((value * scale).rounded() / scale)
        case "ceil", "floor", "abs":
            guard let value = number(input) else { return input }
            if name == "abs" { return numberValue(Swift.abs(value), integral: isIntegral(input)) }
            let result = name == "ceil" ? value.rounded(.up) : value.rounded(.down)
            return Int(exactly: result).map(JSONValue.integer) ?? .double(result)
        case "date":
            return .string(try LiquidDate.format(input, with: text(try argument(0)), now: now))
        case "url_encode":
            return .string(string.addingPercentEncoding(withAllowedCharacters: urlUnreserved)?.replacingOccurrences(of: "%20", with: "+") ?? string)
        case "url_decode":
            return .string(string.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? string)
        case "escape": return .string(escapeHTML(string))
        case "escape_once": return .string(escapeHTML(unescapeHTML(string)))
        case "to_json": return .string(input.jsonText)
        default:
            throw LiquidError("unknown filter '\(name)'")
        }
    }

    /// A value as a number: numbers, and strings that read as one (unless `strict`).
    static func number(_ value: JSONValue, strict: Bool = false) -> Double? {
        switch value {
        case .integer(let number): Double(number)
        case .double(let number): number
        case .string(let text) where !strict: Double(text.trimmingWhitespace())
        default: nil
        }
    }

    private static func isIntegral(_ value: JSONValue) -> Bool {
        switch value {
        case .integer: true
        case .string(let text): Int(text.trimmingWhitespace()) != nil
        default: false
        }
    }

    private static func integer(_ value: JSONValue) -> Int? {
        switch value {
        case .integer(let number): number
        case .string(let text): Int(text.trimmingWhitespace())
        default: nil
        }
    }

    private static func numberValue(_ value: Double, integral: Bool) -> JSONValue {
        integral ? (Int(exactly: value).map(JSONValue.integer) ?? .double(value)) : .double(value)
    }

    static func arithmetic(_ name: String, _ left: JSONValue, _ right: JSONValue) throws(LiquidError) -> JSONValue {
        if let a = integer(left), let b = integer(right) {
            let result: (Int, Bool)
            switch name {
            case "plus": result = a.addingReportingOverflow(b)
            case "minus": result = a.subtractingReportingOverflow(b)
            case "times": result = a.multipliedReportingOverflow(by: b)
            case "divided_by", "modulo":
                guard b != 0 else { throw LiquidError("divided by 0") }
                let quotient = a.dividedReportingOverflow(by: b)
                guard !quotient.overflow else { throw LiquidError("'\(name)' overflowed") }
                // Liquid floors integer division (Ruby semantics).
                let floored = quotient.partialValue - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0)
                result = name == "divided_by" ? (floored, quotient.overflow) : a.remainderReportingOverflow(dividingBy: b)
                if name == "modulo", !result.1, result.0 != 0, (result.0 < 0) != (b < 0) { return .integer(result.0 + b) }
            case "at_least": return .integer(Swift.max(a, b))
            default: return .integer(Swift.min(a, b))
            }
            guard !result.1 else { throw LiquidError("'\(name)' overflowed") }
            return .integer(result.0)
        }
        guard let a = number(left) ?? (left == .null ? 0 : nil), let b = number(right) else {
            throw LiquidError("'\(name)' needs numbers")
        }
        switch name {
        case "plus": return .double(a + b)
        case "minus": return .double(a - b)
        case "times": return .double(a * b)
        case "divided_by":
            guard b != 0 else { throw LiquidError("divided by 0") }
            return .double(a / b)
        case "modulo":
            guard b != 0 else { throw LiquidError("divided by 0") }
            return .double(a - b * (a / b).rounded(.down))
        case "at_least": return .double(Swift.max(a, b))
        default: return .double(Swift.min(a, b))
        }
    }

    private static func array(_ value: JSONValue) -> [JSONValue] {
        switch value {
        case .array(let elements): elements
        case .null: []
        default: [value]
        }
    }

    private static func slice<T>(_ elements: [T], _ start: Int, _ length: Int) -> [T] {
        let from = start < 0 ? Swift.max(0, elements.count + start) : Swift.min(start, elements.count)
        return Array(elements[from..<Swift.min(elements.count, from + Swift.max(0, length))])
    }

    private static let urlUnreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")

    private static func escapeHTML(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static func unescapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}
