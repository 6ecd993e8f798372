import ClientAssets
import Hummingbird
import Platform

/// The browser clients' modules and the demo pages, served as they are in Clients/ (no build step).
struct DemoController: Sendable {
    let scripts: [String: ClientAssets.Asset]
    let videoDemo: ClientAssets.Asset
    let chatDemo: ClientAssets.Asset

    func register(on routes: RouteRegistrar) {
        routes.get("/clients/js/{File}") { request, context in
            guard let name = context.parameters.get("File"), let script = scripts[name] else {
                throw APIError.notFound(request.uri.path)
            }
            return Self.response(script)
        }
        routes.get("/demo/video") { _, _ in Self.response(videoDemo) }
        routes.get("/demo/chat") { _, _ in Self.response(chatDemo) }
    }

    private static func response(_ asset: ClientAssets.Asset) -> Response {
        Response(
            status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: asset.contents)))
    }
}
