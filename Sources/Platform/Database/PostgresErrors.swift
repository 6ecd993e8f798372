import PostgresNIO

extension Error {
    /// Whether PostgreSQL refused a write because it would break a unique constraint (SQLSTATE 23505).
    public var isUniqueViolation: Bool {
        (self as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }
}
