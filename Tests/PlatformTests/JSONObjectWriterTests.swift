import Foundation
import Platform
import Testing

@Suite struct JSONObjectWriterTests {
    @Test func writesValidJSONWithNullsAndNesting() throws {
        var json = JSONObjectWriter()
        json.field("text", "quote \" backslash \\ newline \n tab \t bell \u{07} é 😀 /slash")
        json.field("missing", nil as String?)
        json.field("count", 42)
        json.field("negative", -7)
        json.field("flag", false)
        json.field("nested") { $0.field("inner", "x") }
        json.field("list", objects: [1, 2]) { value, object in object.field("n", value) }
        json.field("empty", objects: [Int]()) { _, _ in }
        let bytes = json.finished()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["text"] as? String == "quote \" backslash \\ newline \n tab \t bell \u{07} é 😀 /slash")
        #expect(object["missing"] is NSNull)
        #expect(object["count"] as? Int == 42 && object["negative"] as? Int == -7)
        #expect(object["flag"] as? Bool == false)
        #expect((object["nested"] as? [String: Any])?["inner"] as? String == "x")
        #expect((object["list"] as? [[String: Any]])?.compactMap { $0["n"] as? Int } == [1, 2])
        #expect((object["empty"] as? [Any])?.isEmpty == true)
        // Slashes stay unescaped, as in Twilio's responses.
        #expect(String(decoding: bytes, as: UTF8.self).contains("/slash"))
    }

    @Test func emptyObject() {
        #expect(JSONObjectWriter().finished() == Array("{}".utf8))
    }
}
