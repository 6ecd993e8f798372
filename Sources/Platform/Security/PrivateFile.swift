import Foundation

/// Writes files only their owner may read (credentials, keys).
public enum PrivateFile {
    /// Atomically replaces `url` with `contents`, mode 0600, creating the parent directory if needed.
    public static func write(_ contents: String, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(RandomToken.hex(byteCount: 4))")
        guard FileManager.default.createFile(
            atPath: temporary.path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path]) }
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: temporary, to: url)
    }

    /// Creates `url` with `contents`, mode 0600, unless it exists. Returns whether it was created.
    /// The file appears complete or not at all (written aside, then hard-linked into place).
    public static func createExclusively(_ contents: String, at url: URL) throws -> Bool {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(RandomToken.hex(byteCount: 4))")
        guard FileManager.default.createFile(
            atPath: temporary.path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path]) }
        defer { unlink(temporary.path) }
        if link(temporary.path, url.path) == 0 { return true }
        guard errno == EEXIST else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
        return false
    }
}
