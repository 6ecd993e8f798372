import Foundation
import NIOSSL
import PostgresNIO

/// Where and how to reach PostgreSQL: a TCP host or a unix socket, credentials and TLS mode.
public struct DatabaseEndpoint: Sendable, Equatable {
    public enum Address: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// Full path of the socket file (`…/.s.PGSQL.5432`).
        case unixSocket(path: String)
    }

    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public var address: Address
    public var username: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode

    public init(address: Address, username: String, password: String? = nil, database: String, tlsMode: TLSMode = .disable) {
        self.address = address
        self.username = username
        self.password = password
        self.database = database
        self.tlsMode = tlsMode
    }

    /// Parses `postgres://user:password@host:port/database?sslmode=…`. A `host` query parameter
    /// naming a directory selects the unix socket in it, as libpq does (`postgres:///db?host=/run/pg`).
    public init(url string: String) throws {
        guard let components = URLComponents(string: string),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else { throw DatabaseEndpointError.invalid("expected postgres://user:password@host:port/database") }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let port = components.port ?? 5432
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            address = .unixSocket(path: "\(socketDirectory)/.s.PGSQL.\(port)")
        } else if let host = components.host, !host.isEmpty {
            // An IPv6 literal comes back in its URL brackets (`[::1]`); sockets want it bare.
            let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            address = .tcp(host: bare, port: port)
        } else {
            throw DatabaseEndpointError.invalid("the database URL names no host")
        }
        username = components.user ?? "postgres"
        password = components.password
        database = String(components.path.drop(while: { $0 == "/" }))
        if database.isEmpty { database = username }
        let mode = query["sslmode"] ?? "prefer"
        switch mode {
        case "disable": tlsMode = .disable
        case "allow", "prefer": tlsMode = .prefer
        case "require", "verify-ca", "verify-full": tlsMode = .require
        default: throw DatabaseEndpointError.invalid("unknown sslmode \(mode)")
        }
        if case .unixSocket = address { tlsMode = .disable }
    }

    /// The same server, another database on it.
    public func with(database: String) -> DatabaseEndpoint {
        var copy = self
        copy.database = database
        return copy
    }

    func tls() -> PostgresClient.Configuration.TLS {
        switch tlsMode {
        case .disable: return .disable
        case .prefer: return .prefer(.makeClientConfiguration())
        case .require: return .require(.makeClientConfiguration())
        }
    }

    /// Pool configuration for ``Database``.
    public func clientConfiguration(maximumConnections: Int) throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch address {
        case .tcp(let host, let port):
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls())
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: username, password: password, database: database)
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        return configuration
    }

    /// Configuration for one dedicated connection (LISTEN).
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch tlsMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        switch address {
        case .tcp(let host, let port):
            return .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        case .unixSocket(let path):
            return .init(unixSocketPath: path, username: username, password: password, database: database)
        }
    }
}

public enum DatabaseEndpointError: Error, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self { case .invalid(let reason): "invalid database URL: \(reason)" }
    }
}
