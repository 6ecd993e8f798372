/// The messaging TwiML an `SmsUrl` may answer with: `<Response>` holding `<Message>` (text, or `<Body>` and
/// `<Media>` children; attributes `to`, `from`, `statusCallback`, `method`) and `<Redirect>` (a URL; attribute
/// `method`). Sans-IO: bytes in, verbs out.
public enum MessagingTwiML {
    public enum Verb: Sendable, Equatable {
        case message(Reply)
        case redirect(url: String, method: String?)
    }

    /// A `<Message>`: nil addresses default to the inbound message's (reply to the sender, from the number).
    public struct Reply: Sendable, Equatable {
        public var to: String?
        public var from: String?
        public var body: String
        public var media: [String]
        public var statusCallback: String?
        public var method: String?
    }

    /// The verbs of `document` in order; an empty document has none. Anything but well-formed TwiML under a
    /// `<Response>` root is an error (Twilio's 12100).
    public static func parse(_ document: String) throws(TwiMLError) -> [Verb] {
        var parser = XMLReader(document)
        guard let root = try parser.document() else { return [] }
        guard root.name == "Response" else { throw .unexpected("the root element is <\(root.name)>, not <Response>") }
        var verbs: [Verb] = []
        for child in root.children {
            guard case .element(let element) = child else { continue }
            switch element.name {
            case "Message":
                verbs.append(.message(reply(element)))
            case "Redirect":
                let url = element.text.trimmingWhitespace
                guard !url.isEmpty else { throw .unexpected("<Redirect> has no URL") }
                verbs.append(.redirect(url: url, method: element.attributes["method"]))
            default:
                throw .unexpected("<\(element.name)> is not a messaging verb")
            }
        }
        return verbs
    }

    private static func reply(_ element: XMLElement) -> Reply {
        let bodies = element.elements(named: "Body")
        let body = bodies.isEmpty ? element.text : bodies.map(\.text).joined()
        return Reply(
            to: element.attributes["to"], from: element.attributes["from"], body: body.trimmingWhitespace,
            media: element.elements(named: "Media").map(\.text.trimmingWhitespace), statusCallback: element.attributes["statusCallback"],
            method: element.attributes["method"])
    }
}

/// Why a TwiML document was refused.
public enum TwiMLError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case unexpected(String)

    public var description: String {
        switch self {
        case .malformed(let reason): "the TwiML is not well-formed XML: \(reason)"
        case .unexpected(let reason): "the TwiML is not valid messaging TwiML: \(reason)"
        }
    }
}

struct XMLElement: Equatable {
    enum Node: Equatable {
        case element(XMLElement)
        case text(String)
    }

    var name: String
    var attributes: [String: String]
    var children: [Node]

    /// The element's own text (its text children, not its elements').
    var text: String {
        children.map { if case .text(let text) = $0 { text } else { "" } }.joined()
    }

    func elements(named name: String) -> [XMLElement] {
        children.compactMap { if case .element(let element) = $0, element.name == name { element } else { nil } }
    }
}

/// A small XML reader for TwiML: elements, attributes in either quotes, text with the five named entities and
/// numeric references, comments, the XML declaration and CDATA. No DTDs, no namespaces.
struct XMLReader {
    private let characters: [Character]
    private var index = 0

    init(_ text: String) {
        characters = Array(text)
    }

    /// The root element; nil for a document of nothing but whitespace.
    mutating func document() throws(TwiMLError) -> XMLElement? {
        try skipMisc()
        guard index < characters.count else { return nil }
        let root = try element()
        try skipMisc()
        guard index == characters.count else { throw .malformed("content after the root element") }
        return root
    }

    private mutating func skipMisc() throws(TwiMLError) {
        while true {
            skipWhitespace()
            if starts(with: "<?") {
                try skip(past: "?>")
            } else if starts(with: "<!--") {
                try skip(past: "-->")
            } else {
                return
            }
        }
    }

    private mutating func element() throws(TwiMLError) -> XMLElement {
        guard consume("<") else { throw .malformed("expected an element") }
        let name = try self.name()
        var attributes: [String: String] = [:]
        while true {
            skipWhitespace()
            if consume("/>") { return XMLElement(name: name, attributes: attributes, children: []) }
            if consume(">") { break }
            let attribute = try self.name()
            skipWhitespace()
            guard consume("=") else { throw .malformed("attribute \(attribute) of <\(name)> has no value") }
            skipWhitespace()
            guard index < characters.count, characters[index] == "\"" || characters[index] == "'" else {
                throw .malformed("attribute \(attribute) of <\(name)> is not quoted")
            }
            let quote = characters[index]
            index += 1
            var value = ""
            while index < characters.count, characters[index] != quote {
                if characters[index] == "<" { throw .malformed("'<' in an attribute value") }
                value += try characters[index] == "&" ? entity() : String(advance())
            }
            guard consume(String(quote)) else { throw .malformed("an attribute value is not closed") }
            attributes[attribute] = value
        }
        var children: [XMLElement.Node] = []
        var text = ""
        while true {
            guard index < characters.count else { throw .malformed("<\(name)> is not closed") }
            if starts(with: "</") {
                index += 2
                guard try self.name() == name else { throw .malformed("<\(name)> is closed by another element") }
                skipWhitespace()
                guard consume(">") else { throw .malformed("a closing tag is not ended") }
                if !text.isEmpty { children.append(.text(text)) }
                return XMLElement(name: name, attributes: attributes, children: children)
            } else if starts(with: "<!--") {
                try skip(past: "-->")
            } else if starts(with: "<![CDATA[") {
                index += 9
                let start = index
                try skip(past: "]]>")
                text += String(characters[start..<(index - 3)])
            } else if characters[index] == "<" {
                if !text.isEmpty { children.append(.text(text)) }
                text = ""
                children.append(.element(try element()))
            } else if characters[index] == "&" {
                text += try entity()
            } else {
                text.append(advance())
            }
        }
    }

    private mutating func name() throws(TwiMLError) -> String {
        let start = index
        while index < characters.count, characters[index].isLetter || characters[index].isNumber || "_-.:".contains(characters[index]) {
            index += 1
        }
        guard index > start else { throw .malformed("expected a name") }
        return String(characters[start..<index])
    }

    private mutating func entity() throws(TwiMLError) -> String {
        let start = index
        try skip(past: ";")
        let reference = String(characters[(start + 1)..<(index - 1)])
        switch reference {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            let hex = reference.hasPrefix("#x") || reference.hasPrefix("#X")
            guard reference.hasPrefix("#"), let code = UInt32(reference.dropFirst(hex ? 2 : 1), radix: hex ? 16 : 10),
                let scalar = Unicode.Scalar(code)
            else { throw .malformed("unknown entity &\(reference);") }
            return String(Character(scalar))
        }
    }

    private mutating func skip(past terminator: String) throws(TwiMLError) {
        while index < characters.count {
            if starts(with: terminator) {
                index += terminator.count
                return
            }
            index += 1
        }
        throw .malformed("'\(terminator)' never comes")
    }

    private mutating func skipWhitespace() {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
    }

    private func starts(with prefix: String) -> Bool {
        var position = index
        for character in prefix {
            guard position < characters.count, characters[position] == character else { return false }
            position += 1
        }
        return true
    }

    private mutating func consume(_ prefix: String) -> Bool {
        guard starts(with: prefix) else { return false }
        index += prefix.count
        return true
    }

    private mutating func advance() -> Character {
        defer { index += 1 }
        return characters[index]
    }
}
