import Foundation

/// The API descriptions in this directory, bundled so the gateway can serve them.
public enum OpenAPIDocuments {
    /// `openapi.yaml`: every REST route the gateway serves.
    public static func restAPI() throws -> Data {
        try document("openapi")
    }

    /// `asyncapi.yaml`: the events Parley sends to webhooks, in both delivery styles.
    public static func events() throws -> Data {
        try document("asyncapi")
    }

    private static func document(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(name).yaml"])
        }
        return try Data(contentsOf: url)
    }
}
