import Platform

/// A list response in one of Twilio's two paging envelopes.
///
/// - API 2010: the records key plus `first_page_uri`, `next_page_uri`, `previous_page_uri`, `uri`,
///   `page`, `page_size`, `start`, `end`, with URIs relative to the product (`/2010-04-01/…`). The
///   SDK treats any other top-level key as the records key, so there are no others.
/// - v1/v2 products: the records key plus `meta` with absolute URLs (`first_page_url`,
///   `next_page_url`, `previous_page_url`, `url`), `page`, `page_size` and `key`.
public struct ListEnvelope<Item: Encodable & Sendable>: Encodable, Sendable {
    public enum Style: Sendable {
        case api2010
        /// Links are absolute: `publicURL` + the product mount (e.g. `/video`) + the path.
        case v1(publicURL: String, mount: String)
    }

    let key: String
    let items: [Item]
    let style: Style
    let links: Links

    struct Links: Sendable {
        var first: String
        var current: String
        var next: String?
        var previous: String?
        var page: Int
        var pageSize: Int
    }

    /// - Parameters:
    ///   - path: the list's path as clients see it without the mount (`/2010-04-01/Accounts.json`, `/v1/Rooms`).
    ///   - filters: the list's own query parameters, repeated in every link.
    public init<Row>(
        key: String, page: Page<Row>, request: PageRequest, path: String, filters: FormParameters, style: Style,
        render: (Row) -> Item
    ) {
        self.key = key
        self.items = page.items.map(render)
        self.style = style
        func link(page number: Int, token: String?) -> String {
            var pairs = filters.pairs.map { ($0.name, $0.value) }
            pairs += [("PageSize", String(request.size)), ("Page", String(number))]
            if let token { pairs.append(("PageToken", token)) }
            let relative = "\(path)?\(FormParameters(pairs).encoded)"
            switch style {
            case .api2010: return relative
            case .v1(let publicURL, let mount): return publicURL + mount + relative
            }
        }
        let currentToken: String? =
            switch request.cursor {
            case .after(let sequence): PageRequest.token(after: sequence)
            case .before(let sequence): PageRequest.token(before: sequence)
            case .start, .offset: nil
            }
        links = Links(
            first: link(page: 0, token: nil),
            current: link(page: request.page, token: currentToken),
            next: page.hasMore ? page.lastSequence.map { link(page: request.page + 1, token: PageRequest.token(after: $0)) } : nil,
            previous: request.page > 0
                ? link(page: request.page - 1, token: page.firstSequence.map(PageRequest.token(before:))) : nil,
            page: request.page, pageSize: request.size)
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(items, forKey: Key(key))
        switch style {
        case .api2010:
            let start = links.page * links.pageSize
            try container.encode(links.first, forKey: Key("first_page_uri"))
            try container.encode(links.next, forKey: Key("next_page_uri"))
            try container.encode(links.previous, forKey: Key("previous_page_uri"))
            try container.encode(links.current, forKey: Key("uri"))
            try container.encode(links.page, forKey: Key("page"))
            try container.encode(links.pageSize, forKey: Key("page_size"))
            try container.encode(start, forKey: Key("start"))
            try container.encode(start + max(items.count, 1) - 1, forKey: Key("end"))
        case .v1:
            var meta = container.nestedContainer(keyedBy: Key.self, forKey: Key("meta"))
            try meta.encode(links.page, forKey: Key("page"))
            try meta.encode(links.pageSize, forKey: Key("page_size"))
            try meta.encode(links.first, forKey: Key("first_page_url"))
            try meta.encode(links.previous, forKey: Key("previous_page_url"))
            try meta.encode(links.current, forKey: Key("url"))
            try meta.encode(links.next, forKey: Key("next_page_url"))
            try meta.encode(key, forKey: Key("key"))
        }
    }
}
