/// A value in a template: a literal, a variable path or a range.
indirect enum LiquidExpression: Sendable {
    case literal(JSONValue)
    /// `empty` and `blank`, which compare specially.
    case empty, blank
    case variable(String, [PathStep])
    case range(LiquidExpression, LiquidExpression)

    enum PathStep: Sendable {
        case member(String)
        case index(LiquidExpression)
    }
}

/// `| name: arg, arg`.
struct LiquidFilterCall: Sendable {
    let name: String
    let arguments: [LiquidExpression]
}

/// An expression with its filters, as in `{{ x | upcase }}` and `assign`.
struct LiquidFilteredExpression: Sendable {
    let expression: LiquidExpression
    let filters: [LiquidFilterCall]
}

/// A condition of `if`/`unless`/`elsif`: comparisons joined by `and`/`or`, evaluated right to left as Liquid does.
struct LiquidCondition: Sendable {
    struct Comparison: Sendable {
        let left: LiquidExpression
        let comparator: String?
        let right: LiquidExpression?
    }
    let comparisons: [Comparison]
    /// `and`/`or` between comparisons i and i+1.
    let joins: [String]
}

/// Reads expressions out of the markup of an output or a tag.
struct LiquidExpressionParser {
    enum Token: Equatable {
        case identifier(String), string(String), integer(Int), double(Double), symbol(String)
    }

    private var tokens: [Token]
    private var position = 0
    let line: Int

    init(_ markup: some StringProtocol, line: Int) throws(LiquidError) {
        self.line = line
        self.tokens = try Self.tokenize(String(markup), line: line)
    }

    var isAtEnd: Bool { position >= tokens.count }

    func error(_ message: String) -> LiquidError { LiquidError("line \(line): \(message)") }

    mutating func peek() -> Token? { isAtEnd ? nil : tokens[position] }

    mutating func next() -> Token? {
        guard !isAtEnd else { return nil }
        defer { position += 1 }
        return tokens[position]
    }

    mutating func take(_ symbol: String) -> Bool {
        guard peek() == .symbol(symbol) || peek() == .identifier(symbol) else { return false }
        position += 1
        return true
    }

    mutating func expect(_ symbol: String) throws(LiquidError) {
        guard take(symbol) else { throw error("expected '\(symbol)'") }
    }

    mutating func identifier() throws(LiquidError) -> String {
        guard case .identifier(let name)? = next() else { throw error("expected a name") }
        return name
    }

    mutating func expectEnd() throws(LiquidError) {
        guard isAtEnd else { throw error("unexpected '\(describe(tokens[position]))'") }
    }

    /// A value: literal, variable with its path, or `(a..b)`.
    mutating func expression() throws(LiquidError) -> LiquidExpression {
        switch next() {
        case .string(let text)?: return .literal(.string(text))
        case .integer(let value)?: return .literal(.integer(value))
        case .double(let value)?: return .literal(.double(value))
        case .symbol("(")?:
            let start = try expression()
            try expect("..")
            let end = try expression()
            try expect(")")
            return .range(start, end)
        case .symbol("[")?:
            position -= 1
            return .variable("", try path())
        case .identifier(let name)?:
            switch name {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "nil", "null": return .literal(.null)
            case "empty": return .empty
            case "blank": return .blank
            default: return .variable(name, try path())
            }
        case let token?: throw error("unexpected '\(describe(token))'")
        case nil: throw error("expected a value")
        }
    }

    private mutating func path() throws(LiquidError) -> [LiquidExpression.PathStep] {
        var steps: [LiquidExpression.PathStep] = []
        while true {
            if take(".") {
                steps.append(.member(try identifier()))
            } else if take("[") {
                steps.append(.index(try expression()))
                try expect("]")
            } else {
                return steps
            }
        }
    }

    /// An expression and its `| filter: args`.
    mutating func filteredExpression() throws(LiquidError) -> LiquidFilteredExpression {
        let expression = try expression()
        var filters: [LiquidFilterCall] = []
        while take("|") {
            let name = try identifier()
            guard LiquidFilters.names.contains(name) else { throw error("unknown filter '\(name)'") }
            var arguments: [LiquidExpression] = []
            if take(":") {
                repeat {
                    // A keyword argument (`truncate: 5, ellipsis: '…'`) counts by position.
                    if case .identifier? = peek(), position + 1 < tokens.count, tokens[position + 1] == .symbol(":") { position += 2 }
                    arguments.append(try self.expression())
                } while take(",")
            }
            filters.append(LiquidFilterCall(name: name, arguments: arguments))
        }
        return LiquidFilteredExpression(expression: expression, filters: filters)
    }

    static let comparators: Set<String> = ["==", "!=", "<>", "<", ">", "<=", ">=", "contains"]

    mutating func condition() throws(LiquidError) -> LiquidCondition {
        var comparisons: [LiquidCondition.Comparison] = []
        var joins: [String] = []
        repeat {
            let left = try expression()
            var comparator: String?
            var right: LiquidExpression?
            if let token = peek(), case .symbol(let symbol) = token, Self.comparators.contains(symbol) {
                position += 1
                comparator = symbol
            } else if peek() == .identifier("contains") {
                position += 1
                comparator = "contains"
            }
            if comparator != nil { right = try expression() }
            comparisons.append(.init(left: left, comparator: comparator, right: right))
            if peek() == .identifier("and") || peek() == .identifier("or"), case .identifier(let join)? = next() {
                joins.append(join)
            } else {
                break
            }
        } while true
        return LiquidCondition(comparisons: comparisons, joins: joins)
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .identifier(let name): name
        case .string(let text): "'\(text)'"
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .symbol(let symbol): symbol
        }
    }

    private static func tokenize(_ markup: String, line: Int) throws(LiquidError) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(markup)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
            } else if character == "\"" || character == "'" {
                guard let end = characters[(index + 1)...].firstIndex(of: character) else { throw LiquidError("line \(line): a string is not closed") }
                tokens.append(.string(String(characters[(index + 1)..<end])))
                index = end + 1
            } else if character.isNumber || (character == "-" && index + 1 < characters.count && characters[index + 1].isNumber) {
                var end = index + 1
                while end < characters.count, characters[end].isNumber || (characters[end] == "." && end + 1 < characters.count && characters[end + 1].isNumber) {
                    end += 1
                }
                let text = String(characters[index..<end])
                if let value = Int(text) { tokens.append(.integer(value)) } else if let value = Double(text) { tokens.append(.double(value)) } else {
                    throw LiquidError("line \(line): '\(text)' is not a number")
                }
                index = end
            } else if character.isLetter || character == "_" {
                var end = index + 1
                while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" || characters[end] == "-" || characters[end] == "?" {
                    end += 1
                }
                tokens.append(.identifier(String(characters[index..<end])))
                index = end
            } else {
                let pair = index + 1 < characters.count ? String(characters[index...index + 1]) : ""
                if ["==", "!=", "<>", "<=", ">=", ".."].contains(pair) {
                    tokens.append(.symbol(pair))
                    index += 2
                } else if "|:,.[]()<>=".contains(character) {
                    tokens.append(.symbol(String(character)))
                    index += 1
                } else {
                    throw LiquidError("line \(line): unexpected '\(character)'")
                }
            }
        }
        return tokens
    }
}
