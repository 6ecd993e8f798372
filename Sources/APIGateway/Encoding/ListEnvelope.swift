import Platform

/// A list response in one of Twilio's two paging envelopes.
///
/// - API 2010: the records key plus `first_page_uri`, `next_page_uri`, `previous_page_uri`, `uri`,
///   `page`, `page_size`, `start`, `end`, with URIs relative to the product (`/2010-04-01/…`). The
///   SDK treats any other top-level key as the records key, so there are no others.
/// - v1/v2 products: the records key plus `meta` with absolute URLs (`first_page_url`,
///   `next_page_url`, `previous_page_url`, `url`), `page`, `page_size` and `key`.
public struct ListEnvelope<Item: JSONRepresentable>: JSONRepresentable {
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

    public func write(to json: inout JSONObjectWriter) {
        json.field(key, objects: items) { item, object in item.write(to: &object) }
        switch style {
        case .api2010:
            let start = links.page * links.pageSize
            json.field("first_page_uri", links.first)
            json.field("next_page_uri", links.next)
            json.field("previous_page_uri", links.previous)
            json.field("uri", links.current)
            json.field("page", links.page)
            json.field("page_size", links.pageSize)
            json.field("start", start)
            json.field("end", start + max(items.count, 1) - 1)
        case .v1:
            json.field("meta") { meta in
                meta.field("page", links.page)
                meta.field("page_size", links.pageSize)
                meta.field("first_page_url", links.first)
                meta.field("previous_page_url", links.previous)
                meta.field("url", links.current)
                meta.field("next_page_url", links.next)
                meta.field("key", key)
            }
        }
    }
}
