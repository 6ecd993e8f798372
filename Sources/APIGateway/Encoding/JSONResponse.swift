import Foundation
import HTTPTypes
import Hummingbird
import Platform

/// Builds JSON responses the way Twilio writes them: snake_case keys (set by each representation),
/// slashes unescaped, `application/json; charset=utf-8`.
public enum JSONResponse {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    public static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Twilio's error body for `error`, with its extra headers.
    public static func error(_ error: APIError) -> Response {
        let body = ErrorBody(code: error.code, message: error.message, moreInfo: error.moreInfo, status: error.status)
        var response = (try? make(body, status: .init(code: error.status))) ?? Response(status: .internalServerError)
        for (name, value) in error.headers {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        return response
    }

    private struct ErrorBody: Encodable {
        var code: Int
        var message: String
        var moreInfo: String
        var status: Int

        enum CodingKeys: String, CodingKey {
            case code, message, status
            case moreInfo = "more_info"
        }
    }
}
