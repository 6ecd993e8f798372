import Foundation

/// The browser clients and demo pages, bundled so the gateway serves the very files we edit.
public enum ClientAssets {
    /// A bundled asset and its media type.
    public struct Asset: Sendable {
        public var contents: Data
        public var contentType: String
    }

    /// Every ES module of the browser client (`Clients/js/*.js`) by file name, served at `/clients/js/<name>`.
    public static func scripts() throws -> [String: Asset] {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("js") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "js"])
        }
        let urls = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "js" }
        var scripts: [String: Asset] = [:]
        for url in urls {
            scripts[url.lastPathComponent] = Asset(contents: try Data(contentsOf: url), contentType: "text/javascript; charset=utf-8")
        }
        return scripts
    }

    /// The video demo page, served at `/demo/video`.
    public static func videoDemo() throws -> Asset {
        guard let url = Bundle.module.url(forResource: "video", withExtension: "html", subdirectory: "demo") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "demo/video.html"])
        }
        return Asset(contents: try Data(contentsOf: url), contentType: "text/html; charset=utf-8")
    }

    /// The chat (Conversations) demo page, served at `/demo/chat`.
    public static func chatDemo() throws -> Asset {
        guard let url = Bundle.module.url(forResource: "chat", withExtension: "html", subdirectory: "demo") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "demo/chat.html"])
        }
        return Asset(contents: try Data(contentsOf: url), contentType: "text/html; charset=utf-8")
    }
}
