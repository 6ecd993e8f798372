import HTTPTypes
import Hummingbird
import Platform

/// A value with a JSON representation on the wire (snake_case keys, `null` for absent values).
public protocol JSONRepresentable: Sendable {
    func write(to json: inout JSONObjectWriter)
}

extension JSONRepresentable {
    /// The JSON object's bytes.
    public var jsonBytes: [UInt8] {
        var writer = JSONObjectWriter()
        write(to: &writer)
        return writer.finished()
    }
}

/// Builds JSON responses the way Twilio writes them: `application/json; charset=utf-8`, slashes unescaped.
public enum JSONResponse {
    public static func make(_ value: some JSONRepresentable, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: value.jsonBytes)))
    }

    /// Twilio's error body for `error`, with its extra headers.
    public static func error(_ error: APIError) -> Response {
        var response = make(ErrorBody(error: error), status: .init(code: error.status))
        for (name, value) in error.headers {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        return response
    }

    /// `{code, message, more_info, status}`, and `details` when the error has them.
    private struct ErrorBody: JSONRepresentable {
        let error: APIError

        func write(to json: inout JSONObjectWriter) {
            json.field("code", error.code)
            json.field("message", error.message)
            json.field("more_info", error.moreInfo)
            json.field("status", error.status)
            if let details = error.details { json.field("details", json: details) }
        }
    }
}
