import Foundation

/// Finds the key that encrypts secrets at rest: `PARLEY_MASTER_KEY` (64 hex digits or base64 of
/// 32 bytes) when set, otherwise `<data-dir>/master.key`, generated with mode 0600 on first use.
///
/// Several gateways sharing one database must share the key: set `PARLEY_MASTER_KEY` on all of them.
public enum MasterKey {
    public static let environmentVariable = "PARLEY_MASTER_KEY"

    public static func load(environment: [String: String], dataDirectory: URL) throws -> SecretBox {
        if let configured = environment[environmentVariable], !configured.isEmpty {
            guard let bytes = decode(configured) else {
                throw MasterKeyError.malformed("\(environmentVariable) must be 64 hex digits or base64 of 32 bytes")
            }
            return try SecretBox(keyBytes: bytes)
        }
        let file = dataDirectory.appendingPathComponent("master.key")
        let generated = RandomToken.hex(byteCount: 32)
        // Never replace an existing key file, even one we cannot read: every stored secret depends on it.
        // Creating it exclusively also settles a race between two processes starting together.
        if try PrivateFile.createExclusively(generated + "\n", at: file) {
            return try SecretBox(keyBytes: decode(generated)!)
        }
        let existing: String
        do {
            existing = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw MasterKeyError.malformed("cannot read \(file.path): \(error)")
        }
        guard let bytes = decode(existing.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw MasterKeyError.malformed("\(file.path) does not hold a 32-byte key")
        }
        return try SecretBox(keyBytes: bytes)
    }

    static func decode(_ text: String) -> [UInt8]? {
        if text.utf8.count == 64, text.utf8.allSatisfy(\.isHexDigit) {
            var bytes = [UInt8]()
            var index = text.startIndex
            while index < text.endIndex {
                let next = text.index(index, offsetBy: 2)
                bytes.append(UInt8(text[index..<next], radix: 16)!)
                index = next
            }
            return bytes
        }
        if let data = Data(base64Encoded: text), data.count == 32 { return Array(data) }
        return nil
    }
}

public enum MasterKeyError: Error, CustomStringConvertible {
    case malformed(String)
    case mismatch

    public var description: String {
        switch self {
        case .malformed(let reason): reason
        case .mismatch:
            "the master key does not match the one this database was created with (check PARLEY_MASTER_KEY or <data-dir>/master.key)"
        }
    }
}
