import Foundation

/// The browser clients and demo pages, bundled so the gateway serves the very files we edit.
public enum ClientAssets {
    /// A bundled asset and its media type.
    public struct Asset: Sendable {
        public var contents: Data
        public var contentType: String
    }

    /// `parley-video.js`, served at `/clients/js/parley-video.js`.
    public static func videoClient() throws -> Asset {
        Asset(contents: try load("parley-video", "js"), contentType: "text/javascript; charset=utf-8")
    }

    /// The video demo page, served at `/demo/video`.
    public static func videoDemo() throws -> Asset {
        Asset(contents: try load("video", "html"), contentType: "text/html; charset=utf-8")
    }

    private static func load(_ name: String, _ ext: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(name).\(ext)"])
        }
        return try Data(contentsOf: url)
    }
}
