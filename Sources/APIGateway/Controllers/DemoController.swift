import ClientAssets
import Hummingbird

/// The browser client and the demo page, served as they are in Clients/ (no build step).
struct DemoController: Sendable {
    let videoClient: ClientAssets.Asset
    let videoDemo: ClientAssets.Asset

    func register(on routes: RouteRegistrar) {
        routes.get("/clients/js/parley-video.js") { _, _ in Self.response(videoClient) }
        routes.get("/demo/video") { _, _ in Self.response(videoDemo) }
    }

    private static func response(_ asset: ClientAssets.Asset) -> Response {
        Response(
            status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: asset.contents)))
    }
}
