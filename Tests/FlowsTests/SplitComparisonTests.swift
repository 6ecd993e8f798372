import Foundation
import Testing

@testable import Flows

@Suite struct SplitComparisonTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T11:06:40Z

    @Test(arguments: [
        (SplitComparison.equalTo, " Yes ", "yes", true), (.equalTo, "yes", "no", false),
        (.notEqualTo, "YES", "yes", false), (.notEqualTo, "a", "b", true),
        (.matchesAnyOf, "Stop", "stop, unsubscribe", true), (.matchesAnyOf, "stopp", "stop, unsubscribe", false),
        (.doesNotMatchAnyOf, "hello", "help, info", true), (.doesNotMatchAnyOf, "INFO", "help, info", false),
        (.contains, "I want PIZZA", "pizza", true), (.contains, "salad", "pizza", false),
        (.doesNotContain, "salad", "pizza", true), (.doesNotContain, "pizza!", "Pizza", false),
        (.startsWith, "Order 17", "order", true), (.startsWith, "my order", "order", false),
        (.doesNotStartWith, "+33 6", "+1", true), (.doesNotStartWith, "+1 212", "+1", false),
        (.isBlank, "  \n", "Is Blank", true), (.isBlank, "x", "Is Blank", false),
        (.isNotBlank, "x", "", true), (.isNotBlank, " ", "", false),
        (.regex, "Code 123456 ok", "[0-9]{6}", true), (.regex, "ABC", "^abc$", true), (.regex, "abd", "^abc$", false), (.regex, "x", "([a", false),
        (.lessThan, "6.5", "7", true), (.lessThan, "10", "7", false), (.lessThan, "ten", "7", false),
        (.greaterThan, " 9 ", "8", true), (.greaterThan, "8", "8", false),
        (.isBeforeTime, "08:59", "09:00", true), (.isBeforeTime, "09:00", "09:00", false), (.isBeforeTime, "2026-11-18T07:30:00Z", "09:00", true),
        (.isAfterTime, "17:01", "17:00", true), (.isAfterTime, "now", "11:00", true), (.isAfterTime, "noon", "11:00", false),
        (.isBeforeDate, "2026-11-30", "2026-12-01", true), (.isBeforeDate, "today", "2026-11-18", false),
        (.isAfterDate, "2026-12-25", "2026-12-24", true), (.isAfterDate, "2026-02-30", "2026-01-01", false),
    ])
    func holdsAsStudioDescribes(_ comparison: SplitComparison, _ input: String, _ value: String, _ expected: Bool) {
        #expect(comparison.holds(input: input, value: value, now: Self.now) == expected)
    }
}
