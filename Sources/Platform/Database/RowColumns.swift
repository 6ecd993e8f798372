import PostgresNIO

/// Decoding a row's columns by name, for tables with more columns than tuple decoding takes.
extension PostgresRandomAccessRow {
    public func value<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        try self[column].decode(Value.self, context: .default)
    }

    /// A SID column; a value that is not a SID means the row is corrupt.
    public func sid(_ column: String, table: String) throws -> SID {
        let text = try value(column, as: String.self)
        guard let sid = SID(text) else { throw CorruptRowError(table: table, key: text) }
        return sid
    }

    public func optionalSID(_ column: String) throws -> SID? {
        try value(column, as: String?.self).flatMap { SID($0) }
    }
}
