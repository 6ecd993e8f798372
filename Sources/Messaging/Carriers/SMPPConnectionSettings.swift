/// A configured SMPP carrier connection, as `parley serve --smpp` gives it:
/// `name=carrier-a,host=smsc.example.net,port=2775,system-id=parley,password=secret[,system-type=X][,window=10]`.
public struct SMPPConnectionSettings: Sendable, Equatable {
    public var name: String
    public var host: String
    public var port: Int
    public var systemID: String
    public var password: String
    public var systemType: String = ""
    public var windowSize: Int = 10

    /// Parses the `--smpp` form; the error names what is missing or wrong.
    public init(parsing text: String) throws(SMPPSettingsError) {
        var fields: [String: String] = [:]
        for pair in text.split(separator: ",") {
            guard let equals = pair.firstIndex(of: "=") else { throw .malformed("'\(pair)' is not key=value") }
            fields[String(pair[..<equals]).trimmingWhitespace.lowercased()] = String(pair[pair.index(after: equals)...])
        }
        func required(_ key: String) throws(SMPPSettingsError) -> String {
            guard let value = fields.removeValue(forKey: key), !value.isEmpty else { throw .malformed("\(key)= is required") }
            return value
        }
        name = try required("name")
        host = try required("host")
        guard let port = Int(try required("port")), (1...65535).contains(port) else { throw .malformed("port= must be 1-65535") }
        self.port = port
        systemID = try required("system-id")
        password = try required("password")
        systemType = fields.removeValue(forKey: "system-type") ?? ""
        if let window = fields.removeValue(forKey: "window") {
            guard let size = Int(window), (1...1000).contains(size) else { throw .malformed("window= must be 1-1000") }
            windowSize = size
        }
        guard name != SandboxCarrier.connectionName else { throw .malformed("the name 'sandbox' is the built-in connection's") }
        guard systemID.utf8.count <= 15, password.utf8.count <= 8 else {
            throw .malformed("SMPP 3.4 allows a system-id of 15 characters and a password of 8 at most")
        }
        if let unknown = fields.keys.sorted().first { throw .malformed("unknown setting \(unknown)=") }
    }
}

public enum SMPPSettingsError: Error, Equatable, CustomStringConvertible {
    case malformed(String)

    public var description: String {
        switch self {
        case .malformed(let reason): "--smpp: \(reason)"
        }
    }
}
