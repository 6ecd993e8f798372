/// Splits a template into text, `{{ output }}` and `{% tag %}` tokens, applying whitespace control (`{{-`, `-%}`).
enum LiquidLexer {
    enum Kind: Equatable { case text, output, tag }

    struct Token {
        let kind: Kind
        /// The text, or the markup between the delimiters (trimmed).
        var content: String
        let line: Int
    }

    static func tokens(_ source: String) throws(LiquidError) -> [Token] {
        var tokens: [Token] = []
        var trimNextText = false
        var line = 1
        var rest = Substring(source)
        while !rest.isEmpty {
            guard let (range, kind) = nextMarkup(in: rest) else {
                append(text: rest, trimStart: trimNextText, line: line, to: &tokens)
                break
            }
            var markupStart = range.upperBound
            let trimsBefore = rest[markupStart...].first == "-"
            if trimsBefore { markupStart = rest.index(after: markupStart) }
            append(text: rest[..<range.lowerBound], trimStart: trimNextText, line: line, to: &tokens)
            if trimsBefore, let last = tokens.last, last.kind == .text {
                tokens[tokens.count - 1].content = String(last.content.reversed().drop(while: \.isWhitespace).reversed())
            }
            line += rest[..<range.lowerBound].count { $0 == "\n" }
            let closer = kind == .output ? "}}" : "%}"
            guard let close = rest[markupStart...].firstRange(of: closer) else {
                throw LiquidError("line \(line): '\(kind == .output ? "{{" : "{%")' is not closed")
            }
            var markup = rest[markupStart..<close.lowerBound]
            trimNextText = markup.last == "-"
            if trimNextText { markup = markup.dropLast() }
            let content = markup.trimmingWhitespace()
            tokens.append(Token(kind: kind, content: content, line: line))
            line += markup.count { $0 == "\n" }
            rest = rest[close.upperBound...]
            if kind == .tag, content == "raw" {
                // Everything up to `{% endraw %}` is text, markup included.
                guard let end = endRaw(in: rest) else { throw LiquidError("line \(line): 'raw' is not closed") }
                append(text: rest[..<end.lowerBound], trimStart: trimNextText, line: line, to: &tokens)
                line += rest[..<end.lowerBound].count { $0 == "\n" }
                trimNextText = false
                rest = rest[end.lowerBound...]
            }
        }
        return tokens
    }

    /// The first `{{` or `{%` in `text`.
    private static func nextMarkup(in text: Substring) -> (Range<Substring.Index>, Kind)? {
        switch (text.firstRange(of: "{{"), text.firstRange(of: "{%")) {
        case (let output?, let tag?): output.lowerBound < tag.lowerBound ? (output, .output) : (tag, .tag)
        case (let output?, nil): (output, .output)
        case (nil, let tag?): (tag, .tag)
        case (nil, nil): nil
        }
    }

    /// The `{% endraw %}` tag in `text`.
    private static func endRaw(in text: Substring) -> Range<Substring.Index>? {
        var rest = text
        while let open = rest.firstRange(of: "{%") {
            guard let close = rest[open.upperBound...].firstRange(of: "%}") else { return nil }
            let markup = rest[open.upperBound..<close.lowerBound].filter { $0 != "-" }.trimmingWhitespace()
            if markup == "endraw" { return open.lowerBound..<close.upperBound }
            rest = rest[open.upperBound...]
        }
        return nil
    }

    private static func append(text: Substring, trimStart: Bool, line: Int, to tokens: inout [Token]) {
        let content = trimStart ? String(text.drop(while: \.isWhitespace)) : String(text)
        if !content.isEmpty { tokens.append(Token(kind: .text, content: content, line: line)) }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
