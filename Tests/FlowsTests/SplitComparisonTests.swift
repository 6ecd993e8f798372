import Foundation
import Testing

@testable import Flows

@Suite struct SplitComparisonTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T11:06:40Z

    typealias Case = (comparison: SplitComparison, input: String, value: String, holds: Bool)

    func check(_ test: Case) {
        #expect(test.comparison.holds(input: test.input, value: test.value, now: Self.now) == test.holds)
    }

    @Test(arguments: [
        (.equalTo, " Yes ", "yes", true), (.equalTo, "YES", " yes\n", true), (.equalTo, "yes", "no", false), (.equalTo, "yes", "yess", false),
        (.equalTo, "", "", true),
        (.notEqualTo, "YES", "yes", false), (.notEqualTo, "a", "b", true),
        (.matchesAnyOf, "Stop", "stop, unsubscribe", true), (.matchesAnyOf, " UNSUBSCRIBE ", "STOP,unsubscribe , cancel", true),
        (.matchesAnyOf, "stopp", "stop, unsubscribe", false), (.matchesAnyOf, "stop, unsubscribe", "stop, unsubscribe", false),
        (.matchesAnyOf, "", "a, , b", false),
        (.doesNotMatchAnyOf, "hello", "help, info", true), (.doesNotMatchAnyOf, "INFO", "help, info", false),
        (.contains, "I want PIZZA", "pizza", true), (.contains, "salad", "pizza", false), (.contains, "pizza", " pizza ", true),
        (.doesNotContain, "salad", "pizza", true), (.doesNotContain, "pizza!", "Pizza", false),
        (.startsWith, "Order 17", "order", true), (.startsWith, "  ORDER", "order", true), (.startsWith, "my order", "order", false),
        (.doesNotStartWith, "+33 6", "+1", true), (.doesNotStartWith, "+1 212", "+1", false),
    ] as [Case])
    func comparesStringsIgnoringCaseAndSurroundingSpace(_ test: Case) { check(test) }

    @Test(arguments: [
        (.isBlank, "", "Is Blank", true), (.isBlank, "  \n\t", "Is Blank", true), (.isBlank, "x", "Is Blank", false), (.isBlank, " . ", "", false),
        (.isNotBlank, "x", "", true), (.isNotBlank, "x", "Is Not Blank", true), (.isNotBlank, " ", "Is Not Blank", false), (.isNotBlank, "", "x", false),
    ] as [Case])
    func blankMeansOnlyWhiteSpaceWhateverTheValue(_ test: Case) { check(test) }

    @Test(arguments: [
        (.regex, "Code 123456 ok", "[0-9]{6}", true), (.regex, "ABC", "^abc$", true), (.regex, " abc\n", "^abc$", true),
        (.regex, "abd", "^abc$", false), (.regex, "12345", "^[0-9]{6}$", false), (.regex, "x", "([a", false), (.regex, "", "^$", true),
    ] as [Case])
    func regexSearchesIgnoringCase(_ test: Case) { check(test) }

    @Test(arguments: [
        (.lessThan, "6.5", "7", true), (.lessThan, "-3", "-2", true), (.lessThan, "10", "7", false), (.lessThan, "7", "7", false),
        (.lessThan, "ten", "7", false), (.lessThan, "1", "seven", false), (.lessThan, "", "7", false), (.lessThan, "nan", "7", false),
        (.greaterThan, " 9 ", "8", true), (.greaterThan, "1e3", "999.5", true), (.greaterThan, "8", "8", false), (.greaterThan, "9", "", false),
        (.greaterThan, "inf", "8", false),
    ] as [Case])
    func comparesNumbersOnly(_ test: Case) { check(test) }

    @Test(arguments: [
        (.isBeforeTime, "08:59", "09:00", true), (.isBeforeTime, "9:00", "09:00", false), (.isBeforeTime, "09:00", "09:00", false),
        (.isBeforeTime, "2026-11-18T07:30:00Z", "09:00", true), (.isBeforeTime, "2026-11-18T09:30:00+01:00", "09:00", true),
        (.isBeforeTime, "2026-11-18T10:30:00.250+01:00", "09:00", false), (.isBeforeTime, "now", "11:07", true), (.isBeforeTime, "now", "11:06", false),
        (.isBeforeTime, "later", "09:00", false), (.isBeforeTime, "24:00", "23:59", false), (.isBeforeTime, "08:00", "tea time", false),
        (.isAfterTime, "17:01", "17:00", true), (.isAfterTime, "17:00:30", "17:00", false), (.isAfterTime, "NOW", "11:00", true),
        (.isAfterTime, "noon", "11:00", false), (.isAfterTime, "16:59", "17:00", false), (.isAfterTime, "12:5", "11:00", false),
    ] as [Case])
    func comparesTheInputsTimeOfDayInUTC(_ test: Case) { check(test) }

    @Test(arguments: [
        (.isBeforeDate, "2026-11-30", "2026-12-01", true), (.isBeforeDate, "2026-12-01", "2026-12-01", false),
        (.isBeforeDate, "2026-11-30T23:30:00-01:00", "2026-12-01", false), (.isBeforeDate, "today", "2026-11-19", true),
        (.isBeforeDate, "Today", "2026-11-18", false), (.isBeforeDate, "tomorrow", "2026-12-01", false), (.isBeforeDate, "2026-11-30", "soon", false),
        (.isAfterDate, "2026-12-25", "2026-12-24", true), (.isAfterDate, "2026-12-24", "2026-12-24", false), (.isAfterDate, "2026-02-30", "2026-01-01", false),
        (.isAfterDate, "2026-13-01", "2026-01-01", false), (.isAfterDate, "now", "2026-11-17", true), (.isAfterDate, "26-12-25", "2026-01-01", false),
    ] as [Case])
    func comparesTheInputsDateInUTC(_ test: Case) { check(test) }

    @Test func everyOperatorIsCovered() {
        #expect(Set(SplitComparison.allCases.map(\.rawValue)) == [
            "equal_to", "not_equal_to", "matches_any_of", "does_not_match_any_of", "contains", "does_not_contain", "starts_with",
            "does_not_start_with", "is_blank", "is_not_blank", "regex", "less_than", "greater_than", "is_before_time", "is_after_time",
            "is_before_date", "is_after_date",
        ])
    }

    @Test func aRegexIsCompiledOnceAndReused() throws {
        let first = try #require(SplitComparison.expression("^order [0-9]+$"))
        #expect(SplitComparison.expression("^order [0-9]+$") === first)
        #expect(SplitComparison.expression("([a") == nil)
    }
}
