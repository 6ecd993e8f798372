import Foundation
import Platform
import PostgresNIO
import TestSupport
import Testing

@Suite struct MasterKeyTests {
    static let bytes = (0..<32).map { UInt8($0 * 7 & 0xff) }
    static var hex: String { bytes.map { String(format: "%02x", $0) }.joined() }
    static var expected: String { (try! SecretBox(keyBytes: bytes)).fingerprint }

    @Test func hexFromEnvironmentIsUsed() async throws {
        try await withTemporaryDirectory { directory in
            let box = try MasterKey.load(environment: [MasterKey.environmentVariable: Self.hex], dataDirectory: directory)
            #expect(box.fingerprint == Self.expected)
            let upper = try MasterKey.load(environment: [MasterKey.environmentVariable: Self.hex.uppercased()], dataDirectory: directory)
            #expect(upper.fingerprint == Self.expected)
            // The environment wins: no key file is written.
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("master.key").path))
        }
    }

    @Test func base64FromEnvironmentIsUsed() async throws {
        try await withTemporaryDirectory { directory in
            let base64 = Data(Self.bytes).base64EncodedString()
            let box = try MasterKey.load(environment: [MasterKey.environmentVariable: base64], dataDirectory: directory)
            #expect(box.fingerprint == Self.expected)
        }
    }

    @Test(arguments: [
        "abc",
        String(repeating: "a", count: 62),
        String(repeating: "a", count: 66),
        String(repeating: "g", count: 64),
        Data(repeating: 1, count: 16).base64EncodedString(),
        Data(repeating: 1, count: 33).base64EncodedString(),
        "not base64 at all!!",
    ])
    func malformedEnvironmentIsRejected(_ value: String) async throws {
        try await withTemporaryDirectory { directory in
            #expect {
                try MasterKey.load(environment: [MasterKey.environmentVariable: value], dataDirectory: directory)
            } throws: { error in
                guard case MasterKeyError.malformed = error else { return false }
                return true
            }
            // A bad setting must not silently fall back to a generated key.
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("master.key").path))
        }
    }

    @Test func generatedKeyFileIsPrivateAndReused() async throws {
        try await withTemporaryDirectory { root in
            let directory = root.appendingPathComponent("nested/data")
            let file = directory.appendingPathComponent("master.key")
            let first = try MasterKey.load(environment: [:], dataDirectory: directory)
            #expect(FileManager.default.fileExists(atPath: file.path))
            #expect(try posixPermissions(of: file) & 0o777 == 0o600)
            let contents = try String(contentsOf: file, encoding: .utf8)
            #expect(contents.hasSuffix("\n"))
            let hex = contents.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(hex.count == 64)
            #expect(first.fingerprint == (try SecretBox(keyBytes: hexBytes(hex))).fingerprint)

            // An empty variable counts as unset.
            let second = try MasterKey.load(environment: [MasterKey.environmentVariable: ""], dataDirectory: directory)
            #expect(second.fingerprint == first.fingerprint)
            #expect(try String(contentsOf: file, encoding: .utf8) == contents)
            let sealed = try first.seal("secret", context: "row")
            #expect(try second.open(sealed, context: "row") == "secret")
        }
    }

    @Test func keyFileWithBase64IsAccepted() async throws {
        try await withTemporaryDirectory { directory in
            try (Data(Self.bytes).base64EncodedString() + "\n")
                .write(to: directory.appendingPathComponent("master.key"), atomically: true, encoding: .utf8)
            #expect(try MasterKey.load(environment: [:], dataDirectory: directory).fingerprint == Self.expected)
        }
    }

    @Test func malformedKeyFileIsRejectedAndKept() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("master.key")
            try "too short\n".write(to: file, atomically: true, encoding: .utf8)
            #expect(throws: MasterKeyError.self) { try MasterKey.load(environment: [:], dataDirectory: directory) }
            #expect(try String(contentsOf: file, encoding: .utf8) == "too short\n")
        }
    }

    /// A key file that exists but cannot be read as text (corrupted, binary) must be reported, not
    /// replaced: replacing it makes every secret already in the database unreadable.
    @Test func unreadableKeyFileIsNotReplaced() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("master.key")
            let garbage = Data([0xff, 0xfe, 0x00, 0xc3, 0x28] + Self.bytes)
            try garbage.write(to: file)
            #expect(throws: (any Error).self) { try MasterKey.load(environment: [:], dataDirectory: directory) }
            #expect(try Data(contentsOf: file) == garbage)
        }
    }

    @Test func databaseRemembersTheKeyItWasCreatedWith() async throws {
        try await TestDatabase.withFresh { database in
            let logger = TestDatabase.logger
            let first = try SecretBox(keyBytes: Self.bytes)
            try await first.verify(against: database, logger: logger)
            try await first.verify(against: database, logger: logger)
            let other = try SecretBox(keyBytes: [UInt8](repeating: 9, count: 32))
            await #expect(throws: MasterKeyError.self) { try await other.verify(against: database, logger: logger) }
            // The recorded fingerprint is the first key's, unchanged by the failed check.
            let rows = try await database.query(
                "SELECT value FROM platform_settings WHERE name = 'master_key_fingerprint'", logger: logger)
            #expect(try rows.map { try $0.decode(String.self) } == [first.fingerprint])
        }
    }

    private func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}
