import Platform

/// The paging parameters every list accepts: `PageSize`, `Page` and the opaque `PageToken`.
///
/// Tokens are `PA` (rows after) or `PB` (rows before) followed by a 16-hex-digit position. Clients
/// only ever copy them from `next_page_uri` / `previous_page_uri`; their content is ours to change.
public struct PageRequest: Sendable, Equatable {
    public static let defaultSize = 50
    public static let maximumSize = 1000

    public var size: Int
    public var page: Int
    public var cursor: PageCursor

    public init(query: FormParameters, maximumSize: Int = maximumSize) throws {
        size = Self.defaultSize
        if let text = query.first("PageSize") {
            guard let value = Int(text), value >= 1 else {
                throw APIError.invalidParameter("PageSize", "must be a whole number from 1 to \(maximumSize)")
            }
            size = min(value, maximumSize)
        }
        page = 0
        if let text = query.first("Page") {
            guard let value = Int(text), value >= 0 else { throw APIError.invalidParameter("Page", "must be a whole number ≥ 0") }
            page = value
        }
        if let token = query.first("PageToken"), !token.isEmpty {
            guard let cursor = Self.cursor(fromToken: token) else { throw APIError.invalidParameter("PageToken", "unknown token") }
            self.cursor = cursor
        } else {
            let (offset, overflow) = page.multipliedReportingOverflow(by: size)
            guard !overflow else { throw APIError.invalidParameter("Page", "too large") }
            cursor = offset == 0 ? .start : .offset(offset)
        }
    }

    static func token(after sequence: Int64) -> String { "PA" + hex(sequence) }
    static func token(before sequence: Int64) -> String { "PB" + hex(sequence) }

    private static func hex(_ value: Int64) -> String {
        let digits = String(UInt64(bitPattern: value), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func cursor(fromToken token: String) -> PageCursor? {
        guard token.utf8.count == 18, let value = UInt64(token.dropFirst(2), radix: 16), value <= UInt64(Int64.max) else { return nil }
        switch token.prefix(2) {
        case "PA": return .after(Int64(value))
        case "PB": return .before(Int64(value))
        default: return nil
        }
    }
}
