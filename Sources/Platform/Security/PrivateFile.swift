import Foundation

/// Writes files only their owner may read (credentials, keys).
public enum PrivateFile {
    /// Atomically replaces `url` with `contents`, mode 0600, creating the parent directory if needed.
    public static func write(_ contents: String, to url: URL) throws {
        let temporary = try writeAside(contents, nextTo: url)
        guard rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }

    /// Creates `url` with `contents`, mode 0600, unless it exists. Returns whether it was created.
    /// The file appears complete or not at all (written aside, then hard-linked into place).
    public static func createExclusively(_ contents: String, at url: URL) throws -> Bool {
        let temporary = try writeAside(contents, nextTo: url)
        defer { unlink(temporary.path) }
        if link(temporary.path, url.path) == 0 { return true }
        guard errno == EEXIST else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
        return false
    }

    /// A new 0600 file with `contents` in `url`'s directory (created if needed), under a hidden random name.
    private static func writeAside(_ contents: String, nextTo url: URL) throws -> URL {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(RandomToken.hex(byteCount: 4))")
        guard FileManager.default.createFile(
            atPath: temporary.path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path]) }
        return temporary
    }
}
