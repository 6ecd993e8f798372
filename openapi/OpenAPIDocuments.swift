import Foundation

/// The API descriptions in this directory, bundled so the gateway can serve them.
public enum OpenAPIDocuments {
    /// `openapi.yaml`: every REST route the gateway serves.
    public static func restAPI() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "openapi.yaml"])
        }
        return try Data(contentsOf: url)
    }
}
