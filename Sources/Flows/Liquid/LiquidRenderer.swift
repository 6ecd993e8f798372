import Foundation

/// Renders nodes against a scope: the caller's variables under the template's own (`assign`, `capture`, loops).
struct LiquidRenderer<Variables: LiquidVariables> {
    static var maximumIterations: Int { 10_000 }
    static var maximumOutput: Int { 1 << 20 }

    let variables: Variables
    let now: Date
    private var locals: [String: JSONValue] = [:]
    private var iterations = 0

    init(variables: Variables, now: Date) {
        self.variables = variables
        self.now = now
    }

    enum Interruption { case none, breakLoop, continueLoop }

    mutating func render(_ nodes: [LiquidNode], into output: inout String) throws(LiquidError) -> Interruption {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .output(let expression):
                output += Self.text(of: try evaluate(expression))
            case .conditional(let branches, let negatesFirst):
                for (position, branch) in branches.enumerated() {
                    var holds = try branch.condition.map { condition throws(LiquidError) in try self.holds(condition) } ?? true
                    if position == 0, negatesFirst { holds.toggle() }
                    if holds {
                        let interruption = try render(branch.body, into: &output)
                        if interruption != .none { return interruption }
                        break
                    }
                }
            case .caseWhen(let subject, let whens, let otherwise):
                let value = try evaluate(subject)
                var matched = false
                for when in whens where !matched {
                    for candidate in when.values where !matched { matched = try compare(value, "==", try evaluate(candidate)) }
                    if matched {
                        let interruption = try render(when.body, into: &output)
                        if interruption != .none { return interruption }
                    }
                }
                if !matched {
                    let interruption = try render(otherwise, into: &output)
                    if interruption != .none { return interruption }
                }
            case .forLoop(let loop):
                try run(loop, into: &output)
            case .assign(let name, let expression):
                locals[name] = try evaluate(expression)
            case .capture(let name, let body):
                var captured = ""
                _ = try render(body, into: &captured)
                locals[name] = .string(captured)
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            }
            guard output.utf8.count <= Self.maximumOutput else { throw LiquidError("output larger than \(Self.maximumOutput) bytes") }
        }
        return .none
    }

    private mutating func run(_ loop: LiquidForLoop, into output: inout String) throws(LiquidError) {
        var items: [JSONValue]
        switch try evaluate(loop.collection) {
        case .array(let elements): items = elements
        case .object(let members): items = members.sorted { $0.key < $1.key }.map { .array([.string($0.key), $0.value]) }
        case .null: items = []
        case let value: items = [value]
        }
        let offset = try loop.offset.map { expression throws(LiquidError) in try integer(evaluate(expression), "offset") } ?? 0
        items = Array(items.dropFirst(max(0, offset)))
        if let limit = try loop.limit.map({ expression throws(LiquidError) in try integer(evaluate(expression), "limit") }) {
            items = Array(items.prefix(max(0, limit)))
        }
        if loop.reversed { items.reverse() }
        guard !items.isEmpty else {
            _ = try render(loop.otherwise, into: &output)
            return
        }
        let saved = (locals[loop.variable], locals["forloop"])
        defer {
            locals[loop.variable] = saved.0
            locals["forloop"] = saved.1
        }
        for (index, item) in items.enumerated() {
            iterations += 1
            guard iterations <= Self.maximumIterations else { throw LiquidError("more than \(Self.maximumIterations) loop iterations") }
            locals[loop.variable] = item
            locals["forloop"] = .object([
                "index": .integer(index + 1), "index0": .integer(index), "rindex": .integer(items.count - index),
                "rindex0": .integer(items.count - index - 1), "first": .bool(index == 0), "last": .bool(index == items.count - 1),
                "length": .integer(items.count),
            ])
            if try render(loop.body, into: &output) == .breakLoop { break }
        }
    }

    private func integer(_ value: JSONValue, _ what: String) throws(LiquidError) -> Int {
        guard let number = LiquidFilters.number(value), let integer = Int(exactly: number.rounded(.down)) else {
            throw LiquidError("\(what) must be a number")
        }
        return integer
    }

    // MARK: - Values

    mutating func evaluate(_ expression: LiquidFilteredExpression) throws(LiquidError) -> JSONValue {
        var value = try evaluate(expression.expression)
        for filter in expression.filters {
            var arguments: [JSONValue] = []
            for argument in filter.arguments { arguments.append(try evaluate(argument)) }
            value = try LiquidFilters.apply(filter.name, to: value, arguments, now: now)
        }
        return value
    }

    func evaluate(_ expression: LiquidExpression) throws(LiquidError) -> JSONValue {
        switch expression {
        case .literal(let value): return value
        case .empty, .blank: return .string("")
        case .range(let start, let end):
            let first = try integer(evaluate(start), "a range's start")
            let last = try integer(evaluate(end), "a range's end")
            guard last >= first else { return .array([]) }
            guard last - first < Self.maximumIterations else { throw LiquidError("a range longer than \(Self.maximumIterations)") }
            return .array((first...last).map { .integer($0) })
        case .variable(let name, let path):
            var value: JSONValue? = locals[name] ?? variables.value(named: name)
            for step in path {
                guard let current = value else { return .null }
                switch step {
                case .member(let key): value = Self.member(key, of: current)
                case .index(let index):
                    let key = try evaluate(index)
                    switch (current, key) {
                    case (.array(let elements), .integer(let position)):
                        let resolved = position < 0 ? elements.count + position : position
                        value = elements.indices.contains(resolved) ? elements[resolved] : nil
                    case (_, .string(let member)): value = Self.member(member, of: current)
                    default: value = nil
                    }
                }
            }
            return value ?? .null
        }
    }

    /// `x.key`, with Liquid's `size`, `first` and `last` on arrays and strings.
    static func member(_ key: String, of value: JSONValue) -> JSONValue? {
        switch (value, key) {
        case (.object(let members), _): members[key] ?? (key == "size" ? .integer(members.count) : nil)
        case (.array(let elements), "size"): .integer(elements.count)
        case (.array(let elements), "first"): elements.first
        case (.array(let elements), "last"): elements.last
        case (.string(let text), "size"): .integer(text.count)
        default: nil
        }
    }

    // MARK: - Conditions

    func holds(_ condition: LiquidCondition) throws(LiquidError) -> Bool {
        // Liquid evaluates `and`/`or` from the right, without precedence.
        var result = try holds(condition.comparisons[condition.comparisons.count - 1])
        for index in stride(from: condition.joins.count - 1, through: 0, by: -1) {
            let left = try holds(condition.comparisons[index])
            result = condition.joins[index] == "and" ? (left && result) : (left || result)
        }
        return result
    }

    private func holds(_ comparison: LiquidCondition.Comparison) throws(LiquidError) -> Bool {
        guard let comparator = comparison.comparator, let right = comparison.right else {
            return Self.isTruthy(try evaluate(comparison.left))
        }
        let left = try evaluate(comparison.left)
        switch right {
        case .empty: return Self.isEmpty(left) == (comparator == "==" )
        case .blank: return Self.isBlank(left) == (comparator == "==")
        default: return try compare(left, comparator, try evaluate(right))
        }
    }

    func compare(_ left: JSONValue, _ comparator: String, _ right: JSONValue) throws(LiquidError) -> Bool {
        switch comparator {
        case "==": return Self.equal(left, right)
        case "!=", "<>": return !Self.equal(left, right)
        case "contains":
            switch left {
            case .string(let text): return text.contains(Self.text(of: right))
            case .array(let elements): return elements.contains { Self.equal($0, right) }
            case .object(let members): return members[Self.text(of: right)] != nil
            default: return false
            }
        default:
            if let a = LiquidFilters.number(left, strict: true), let b = LiquidFilters.number(right, strict: true) {
                return comparator == "<" ? a < b : comparator == ">" ? a > b : comparator == "<=" ? a <= b : a >= b
            }
            if case .string(let a) = left, case .string(let b) = right {
                return comparator == "<" ? a < b : comparator == ">" ? a > b : comparator == "<=" ? a <= b : a >= b
            }
            return false
        }
    }

    static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        if let a = LiquidFilters.number(left, strict: true), let b = LiquidFilters.number(right, strict: true) { return a == b }
        return left == right
    }

    static func isTruthy(_ value: JSONValue) -> Bool {
        switch value {
        case .null, .bool(false): false
        default: true
        }
    }

    static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): text.isEmpty
        case .array(let elements): elements.isEmpty
        case .object(let members): members.isEmpty
        default: false
        }
    }

    static func isBlank(_ value: JSONValue) -> Bool {
        switch value {
        case .null, .bool(false): true
        case .string(let text): text.allSatisfy(\.isWhitespace)
        default: isEmpty(value)
        }
    }

    /// How a value prints: nil empty, arrays joined, objects as JSON.
    static func text(of value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): text
        case .array(let elements): elements.map(text(of:)).joined()
        case .object: value.jsonText
        }
    }
}
