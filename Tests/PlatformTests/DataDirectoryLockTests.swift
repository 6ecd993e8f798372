import Foundation
import Platform
import Testing

@Suite struct DataDirectoryLockTests {
    @Test func secondHolderIsRefusedUntilTheFirstLetsGo() async throws {
        try await withTemporaryDirectory { directory in
            var first: DataDirectoryLock? = try DataDirectoryLock(directory: directory)
            #expect(first != nil)
            #expect(throws: DataDirectoryLockError.self) { try DataDirectoryLock(directory: directory) }
            #expect(try posixPermissions(of: directory.appendingPathComponent("serve.lock")) & 0o777 == 0o600)
            first = nil
            let second = try DataDirectoryLock(directory: directory)
            withExtendedLifetime(second) {}
        }
    }

    @Test func missingDirectoryIsReported() async throws {
        _ = try await withTemporaryDirectory { directory in
            #expect {
                try DataDirectoryLock(directory: directory.appendingPathComponent("absent"))
            } throws: { error in
                guard case DataDirectoryLockError.unavailable = error else { return false }
                return true
            }
        }
    }
}
