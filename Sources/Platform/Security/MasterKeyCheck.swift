import Logging

extension SecretBox {
    /// Records this key's fingerprint in a new database, or fails if the database was created with
    /// another key (every stored secret would be unreadable).
    public func verify(against database: Database, logger: Logger) async throws {
        let fingerprint = fingerprint
        try await database.query(
            """
            INSERT INTO platform_settings (name, value) VALUES ('master_key_fingerprint', \(fingerprint))
            ON CONFLICT (name) DO NOTHING
            """, logger: logger)
        let rows = try await database.query(
            "SELECT value FROM platform_settings WHERE name = 'master_key_fingerprint'", logger: logger)
        guard try rows.first?.decode(String.self) == fingerprint else { throw MasterKeyError.mismatch }
    }
}
