import Foundation

/// Reading a state's properties into templates, key/value lists and split conditions.
extension StateCompiler {
    // These parse: they are constants, not input.
    static let empty = try! LiquidTemplate("")
    static let flowAddress = try! LiquidTemplate("{{flow.channel.address}}")
    static let contactAddress = try! LiquidTemplate("{{contact.channel.address}}")
    static let defaultTimeout = try! LiquidTemplate("3600")

    /// A property's text: strings as they are, numbers and booleans as JSON writes them (exports carry `"loop": 2`).
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .integer, .double, .bool: value.jsonText
        default: nil
        }
    }

    /// The property `name` as a template; nil when absent (or null) or wrong, which is reported.
    mutating func property(_ name: String) -> LiquidTemplate? {
        guard let value = state.properties[name], value != .null else { return nil }
        let at = "\(path)/properties/\(name)"
        guard let text = Self.text(value) else {
            problems.add("\(label): property '\(name)' must be a string", at: at)
            return nil
        }
        return template(text, "property '\(name)'", at: at)
    }

    /// `text` parsed as Liquid; a parse error is reported with what it is (`property 'body'`), e.g.
    /// `state 'greet' (send-message) property 'body': line 1: unknown filter 'upcasee'`.
    mutating func template(_ text: String, _ what: String, at path: String) -> LiquidTemplate? {
        do {
            return try LiquidTemplate(text)
        } catch {
            problems.add("\(label) \(what): \(error.message)", at: path)
            return nil
        }
    }

    /// `parameters`: `[{key, value}]`, values templated.
    mutating func parameters() -> [TemplatedParameter] {
        keyValues("parameters").compactMap { key, text, _, at in
            template(text, "parameter '\(key)'", at: at).map { TemplatedParameter(key: key, value: $0) }
        }
    }

    /// `variables`: `[{key, value, parse_as_json?}]`, values templated.
    mutating func assignments() -> [VariableAssignment] {
        keyValues("variables").compactMap { key, text, element, at in
            template(text, "variable '\(key)'", at: at).map {
                VariableAssignment(key: key, value: $0, parsesJSON: element["parse_as_json"] == .bool(true))
            }
        }
    }

    /// The entries of a `[{key, value}]` property with a non-empty key and a string (or number, boolean) value:
    /// the key, the value's text, the entry and the value's path.
    private mutating func keyValues(_ name: String) -> [(String, String, JSONValue, String)] {
        guard let value = state.properties[name], value != .null else { return [] }
        guard case .array(let elements) = value else {
            problems.add("\(label): property '\(name)' must be an array of {key, value}", at: "\(path)/properties/\(name)")
            return []
        }
        var entries: [(String, String, JSONValue, String)] = []
        for (position, element) in elements.enumerated() {
            let at = "\(path)/properties/\(name)/\(position)"
            guard let key = element["key"]?.stringValue, !key.isEmpty else {
                problems.add("\(label): \(name)[\(position)] needs a non-empty key", at: at + "/key")
                continue
            }
            guard let text = element["value"].flatMap(Self.text) else {
                problems.add("\(label): \(name)[\(position)] ('\(key)') needs a string value", at: at + "/value")
                continue
            }
            entries.append((key, text, element, at + "/value"))
        }
        return entries
    }

    /// A match transition's conditions: `{friendly_name, arguments, type, value}`. Literal values are checked for
    /// their operator (a regex that compiles, a number, a time, a date); templated ones only when they run.
    mutating func conditions(_ elements: [JSONValue], at conditionsPath: String) -> [SplitCondition] {
        var conditions: [SplitCondition] = []
        for (position, element) in elements.enumerated() {
            let at = "\(conditionsPath)/\(position)"
            guard case .object = element else {
                problems.add("\(label): a condition must be an object", at: at)
                continue
            }
            let name = element["friendly_name"]?.stringValue ?? "\(position)"
            guard let type = element["type"]?.stringValue, let comparison = SplitComparison(rawValue: type) else {
                problems.add("\(label) condition '\(name)': unknown operator '\(element["type"].flatMap(Self.text) ?? "")'", at: at + "/type")
                continue
            }
            // `is_blank` exports carry a value too, but an absent one is no harm.
            guard let text = Self.text(element["value"] ?? .string("")) else {
                problems.add("\(label) condition '\(name)': value must be a string", at: at + "/value")
                continue
            }
            if let problem = comparison.problem(with: text) { problems.add("\(label) condition '\(name)' \(problem)", at: at + "/value") }
            if let value = template(text, "condition '\(name)'", at: at + "/value") {
                conditions.append(SplitCondition(friendlyName: name, comparison: comparison, value: value))
            }
        }
        return conditions
    }
}
