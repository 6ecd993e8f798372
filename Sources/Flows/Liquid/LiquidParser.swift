/// A parsed template's nodes.
indirect enum LiquidNode: Sendable {
    case text(String)
    case output(LiquidFilteredExpression)
    /// `if`/`elsif`/`else` (or `unless`, whose first condition is negated): the first branch whose condition holds.
    case conditional(branches: [(condition: LiquidCondition?, body: [LiquidNode])], negatesFirst: Bool)
    case caseWhen(subject: LiquidExpression, whens: [(values: [LiquidExpression], body: [LiquidNode])], otherwise: [LiquidNode])
    case forLoop(LiquidForLoop)
    case assign(String, LiquidFilteredExpression)
    case capture(String, [LiquidNode])
    case breakLoop, continueLoop
}

struct LiquidForLoop: Sendable {
    let variable: String
    let collection: LiquidExpression
    let limit: LiquidExpression?
    let offset: LiquidExpression?
    let reversed: Bool
    let body: [LiquidNode]
    let otherwise: [LiquidNode]
}

/// Builds nodes from the lexer's tokens.
struct LiquidParser {
    static let maximumDepth = 100
    private let tokens: [LiquidLexer.Token]
    private var position = 0
    private var depth = 0

    init(_ tokens: [LiquidLexer.Token]) { self.tokens = tokens }

    static func parse(_ source: String) throws(LiquidError) -> [LiquidNode] {
        var parser = LiquidParser(try LiquidLexer.tokens(source))
        let (nodes, end) = try parser.block(until: [])
        if let end { throw LiquidError("line \(end.line): unexpected '\(end.name)'") }
        return nodes
    }

    /// A tag that ended a block: its name, the rest of its markup and its line.
    struct BlockEnd {
        let name: String
        let markup: Substring
        let line: Int
    }

    /// Nodes up to one of the tags in `terminators` (returned), or to the end when `terminators` is empty.
    private mutating func block(until terminators: Set<String>) throws(LiquidError) -> ([LiquidNode], BlockEnd?) {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw LiquidError("tags nested deeper than \(Self.maximumDepth)") }
        var nodes: [LiquidNode] = []
        while position < tokens.count {
            let token = tokens[position]
            position += 1
            switch token.kind {
            case .text:
                nodes.append(.text(token.content))
            case .output:
                var parser = try LiquidExpressionParser(token.content, line: token.line)
                let expression = try parser.filteredExpression()
                try parser.expectEnd()
                nodes.append(.output(expression))
            case .tag:
                let name = String(token.content.prefix { !$0.isWhitespace })
                let markup = token.content.dropFirst(name.count)
                if terminators.contains(name) { return (nodes, BlockEnd(name: name, markup: markup, line: token.line)) }
                if let node = try tag(name, markup, line: token.line) { nodes.append(node) }
            }
        }
        if let expected = terminators.first(where: { $0.hasPrefix("end") }) {
            throw LiquidError("'\(expected.dropFirst(3))' is not closed (expected '\(expected)')")
        }
        return (nodes, nil)
    }

    private mutating func tag(_ name: String, _ markup: Substring, line: Int) throws(LiquidError) -> LiquidNode? {
        switch name {
        case "if", "unless":
            var branches: [(LiquidCondition?, [LiquidNode])] = []
            var condition: LiquidCondition? = try Self.condition(markup, line: line)
            while true {
                let (body, end) = try block(until: ["elsif", "else", "end\(name)"])
                branches.append((condition, body))
                guard let end, end.name != "end\(name)" else { break }
                if end.name == "else" {
                    let (body, _) = try block(until: ["end\(name)"])
                    branches.append((nil, body))
                    break
                }
                condition = try Self.condition(end.markup, line: end.line)
            }
            return .conditional(branches: branches, negatesFirst: name == "unless")
        case "case":
            var parser = try LiquidExpressionParser(markup, line: line)
            let subject = try parser.expression()
            try parser.expectEnd()
            var (_, end) = try block(until: ["when", "else", "endcase"])
            var whens: [([LiquidExpression], [LiquidNode])] = []
            var otherwise: [LiquidNode] = []
            while let current = end, current.name != "endcase" {
                if current.name == "else" {
                    (otherwise, end) = try block(until: ["endcase"])
                    break
                }
                var values: [LiquidExpression] = []
                var parser = try LiquidExpressionParser(current.markup, line: current.line)
                repeat { values.append(try parser.expression()) } while parser.take(",") || parser.take("or")
                try parser.expectEnd()
                let body: [LiquidNode]
                (body, end) = try block(until: ["when", "else", "endcase"])
                whens.append((values, body))
            }
            return .caseWhen(subject: subject, whens: whens, otherwise: otherwise)
        case "for":
            var parser = try LiquidExpressionParser(markup, line: line)
            let variable = try parser.identifier()
            try parser.expect("in")
            let collection = try parser.expression()
            var limit: LiquidExpression?
            var offset: LiquidExpression?
            var reversed = false
            while !parser.isAtEnd {
                let option = try parser.identifier()
                switch option {
                case "reversed": reversed = true
                case "limit": try parser.expect(":"); limit = try parser.expression()
                case "offset": try parser.expect(":"); offset = try parser.expression()
                default: throw parser.error("unknown for option '\(option)'")
                }
            }
            var (body, end) = try block(until: ["else", "endfor"])
            var otherwise: [LiquidNode] = []
            if end?.name == "else" { (otherwise, end) = try block(until: ["endfor"]) }
            return .forLoop(LiquidForLoop(
                variable: variable, collection: collection, limit: limit, offset: offset, reversed: reversed, body: body, otherwise: otherwise))
        case "assign":
            var parser = try LiquidExpressionParser(markup, line: line)
            let variable = try parser.identifier()
            try parser.expect("=")
            let value = try parser.filteredExpression()
            try parser.expectEnd()
            return .assign(variable, value)
        case "capture":
            var parser = try LiquidExpressionParser(markup, line: line)
            let variable = try parser.identifier()
            try parser.expectEnd()
            let (body, _) = try block(until: ["endcapture"])
            return .capture(variable, body)
        case "comment":
            // A comment's contents are not parsed: anything may be commented out.
            while position < tokens.count {
                let token = tokens[position]
                position += 1
                if token.kind == .tag, token.content.prefix(while: { !$0.isWhitespace }) == "endcomment" { return nil }
            }
            throw LiquidError("line \(line): 'comment' is not closed (expected 'endcomment')")
        case "raw":
            let (body, _) = try block(until: ["endraw"])
            return .capture("", body).textOnly
        case "break": return .breakLoop
        case "continue": return .continueLoop
        case _ where name.hasPrefix("end") || ["else", "elsif", "when"].contains(name):
            throw LiquidError("line \(line): unexpected '\(name)'")
        default:
            throw LiquidError("line \(line): unknown tag '\(name)'")
        }
    }

    private static func condition(_ markup: Substring, line: Int) throws(LiquidError) -> LiquidCondition {
        var parser = try LiquidExpressionParser(markup, line: line)
        let condition = try parser.condition()
        try parser.expectEnd()
        return condition
    }
}

extension LiquidNode {
    /// A `raw` block's contents: its text as it is.
    fileprivate var textOnly: LiquidNode {
        guard case .capture(_, let body) = self else { return self }
        return .text(body.map { if case .text(let text) = $0 { text } else { "" } }.joined())
    }
}
