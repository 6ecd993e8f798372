import Platform
import PostgresNIO
import Testing

@Suite struct DatabaseEndpointTests {
    @Test func tcpURLWithEverything() throws {
        let endpoint = try DatabaseEndpoint(url: "postgres://alice:s3cret@db.example.com:6543/parley_prod?sslmode=require")
        #expect(endpoint.address == .tcp(host: "db.example.com", port: 6543))
        #expect(endpoint.username == "alice")
        #expect(endpoint.password == "s3cret")
        #expect(endpoint.database == "parley_prod")
        #expect(endpoint.tlsMode == .require)
    }

    @Test func postgresqlSchemeAndDefaults() throws {
        let endpoint = try DatabaseEndpoint(url: "postgresql://db.internal")
        #expect(endpoint.address == .tcp(host: "db.internal", port: 5432))
        #expect(endpoint.username == "postgres")
        #expect(endpoint.password == nil)
        // libpq's default database is the user name.
        #expect(endpoint.database == "postgres")
        #expect(endpoint.tlsMode == .prefer)

        let withUser = try DatabaseEndpoint(url: "postgres://bob@127.0.0.1/")
        #expect(withUser.address == .tcp(host: "127.0.0.1", port: 5432))
        #expect(withUser.username == "bob")
        #expect(withUser.database == "bob")
    }

    @Test func percentEncodedCredentialsAreDecoded() throws {
        let endpoint = try DatabaseEndpoint(url: "postgres://us%40er:p%40ss%2Fw%3Ard@localhost:5432/db")
        #expect(endpoint.username == "us@er")
        #expect(endpoint.password == "p@ss/w:rd")
        #expect(endpoint.database == "db")
    }

    /// libpq accepts a bracketed IPv6 literal; the host to connect to is the address without brackets
    /// (`[::1]` is not a name getaddrinfo resolves).
    @Test func ipv6HostLosesItsBrackets() throws {
        let endpoint = try DatabaseEndpoint(url: "postgres://u:p@[::1]:5433/db")
        #expect(endpoint.address == .tcp(host: "::1", port: 5433))
    }

    @Test(arguments: [
        ("disable", DatabaseEndpoint.TLSMode.disable),
        ("allow", .prefer),
        ("prefer", .prefer),
        ("require", .require),
        ("verify-ca", .require),
        ("verify-full", .require),
    ])
    func sslModes(_ mode: String, _ expected: DatabaseEndpoint.TLSMode) throws {
        let endpoint = try DatabaseEndpoint(url: "postgres://u:p@host:5432/db?sslmode=\(mode)")
        #expect(endpoint.tlsMode == expected)
    }

    @Test(arguments: ["bogus", "", "REQUIRE", "true"])
    func unknownSSLModeIsAnError(_ mode: String) {
        #expect(throws: DatabaseEndpointError.self) {
            try DatabaseEndpoint(url: "postgres://u:p@host:5432/db?sslmode=\(mode)")
        }
    }

    @Test func hostParameterNamingADirectorySelectsTheUnixSocket() throws {
        let endpoint = try DatabaseEndpoint(url: "postgres:///parley?host=/var/run/postgresql")
        #expect(endpoint.address == .unixSocket(path: "/var/run/postgresql/.s.PGSQL.5432"))
        #expect(endpoint.database == "parley")
        #expect(endpoint.tlsMode == .disable)

        let withPort = try DatabaseEndpoint(url: "postgresql://me@:6000/db?host=/tmp/pg&sslmode=require")
        #expect(withPort.address == .unixSocket(path: "/tmp/pg/.s.PGSQL.6000"))
        #expect(withPort.username == "me")
        // TLS does not apply to a unix socket.
        #expect(withPort.tlsMode == .disable)
    }

    @Test(arguments: [
        "mysql://u:p@host/db",
        "http://host/db",
        "host:5432/db",
        "",
        "postgres:///db",  // no host, no socket directory
        "postgres:///db?host=relative/dir",
    ])
    func unusableURLsAreErrors(_ url: String) {
        #expect(throws: DatabaseEndpointError.self) { try DatabaseEndpoint(url: url) }
    }

    @Test func withDatabaseChangesOnlyTheDatabase() throws {
        let endpoint = try DatabaseEndpoint(url: "postgres://u:p@host:5433/one?sslmode=disable")
        let other = endpoint.with(database: "two")
        #expect(other.database == "two")
        #expect(other.address == endpoint.address)
        #expect(other.username == "u")
        #expect(other.password == "p")
        #expect(other.tlsMode == .disable)
        #expect(endpoint.database == "one")
    }

    @Test func configurationsCanBeBuilt() throws {
        let tcp = try DatabaseEndpoint(url: "postgres://u:p@host:5433/db?sslmode=require")
        #expect(try tcp.clientConfiguration(maximumConnections: 7).options.maximumConnections == 7)
        _ = try tcp.connectionConfiguration()
        let socket = try DatabaseEndpoint(url: "postgres:///db?host=/tmp")
        _ = try socket.clientConfiguration(maximumConnections: 1)
        _ = try socket.connectionConfiguration()
    }
}
