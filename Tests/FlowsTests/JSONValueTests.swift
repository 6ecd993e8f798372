import Testing

@testable import Flows

@Suite struct JSONValueTests {
    @Test func parsesIntegersFractionsAndBooleansApart() throws {
        let value = try #require(JSONValue(parsing: #"{"a": 7, "b": 2.5, "c": true, "d": null, "e": ["x"]}"#))
        #expect(value["a"] == .integer(7))
        #expect(value["b"] == .double(2.5))
        #expect(value["c"] == .bool(true))
        #expect(value["d"] == .null)
        #expect(value["e"] == .array([.string("x")]))
    }

    @Test func printsCompactJSONWithSortedKeys() {
        let value = JSONValue.object(["b": .integer(1), "a": .string("x/y")])
        #expect(value.jsonText == #"{"a":"x/y","b":1}"#)
    }

    @Test func refusesTextThatIsNotJSON() {
        #expect(JSONValue(parsing: "{nope") == nil)
    }
}
