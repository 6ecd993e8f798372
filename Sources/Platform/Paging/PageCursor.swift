/// Where a list page starts. Lists are ordered by each table's insertion sequence (`seq`), so a
/// cursor is a keyset position: every row is returned exactly once while rows are being added.
public enum PageCursor: Sendable, Equatable {
    /// The first page.
    case start
    /// Rows after the row with this sequence number (a "next page").
    case after(Int64)
    /// Rows before the row with this sequence number (a "previous page").
    case before(Int64)
    /// Skip this many rows (a `Page=N` without a token).
    case offset(Int)
}

/// One page of rows plus what the envelope needs to link its neighbours.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Sequence numbers of the first and last item, for the neighbours' tokens.
    public var firstSequence: Int64?
    public var lastSequence: Int64?
    /// Whether rows exist after the last item.
    public var hasMore: Bool

    public init(items: [Item], firstSequence: Int64?, lastSequence: Int64?, hasMore: Bool) {
        self.items = items
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.hasMore = hasMore
    }

    /// Builds a page from rows fetched with one row of look-ahead (`limit + 1`) in the direction
    /// of `cursor`; rows fetched backwards are returned to ascending order.
    public init(lookahead rows: [(sequence: Int64, item: Item)], pageSize: Int, cursor: PageCursor) {
        var rows = Array(rows.prefix(pageSize + 1))
        let overflow = rows.count > pageSize
        if overflow { rows.removeLast() }
        if case .before = cursor {
            rows.reverse()
            // Going backwards, the page we came from is always after this one.
            self.init(items: rows.map(\.item), firstSequence: rows.first?.sequence, lastSequence: rows.last?.sequence, hasMore: true)
        } else {
            self.init(items: rows.map(\.item), firstSequence: rows.first?.sequence, lastSequence: rows.last?.sequence, hasMore: overflow)
        }
    }
}

extension PageCursor {
    /// Bind values for the keyset queries: rows with `seq > after` (ascending) or `seq < before`
    /// (descending), skipping `offset`.
    public var bounds: (after: Int64, before: Int64, offset: Int, descending: Bool) {
        switch self {
        case .start: (0, .max, 0, false)
        case .after(let sequence): (sequence, .max, 0, false)
        case .before(let sequence): (0, sequence, 0, true)
        case .offset(let count): (0, .max, count, false)
        }
    }
}
