import Foundation

/// The condition operators of `split-based-on`, by their Studio names.
public enum SplitComparison: String, Sendable, CaseIterable {
    case equalTo = "equal_to"
    case notEqualTo = "not_equal_to"
    case matchesAnyOf = "matches_any_of"
    case doesNotMatchAnyOf = "does_not_match_any_of"
    case contains
    case doesNotContain = "does_not_contain"
    case startsWith = "starts_with"
    case doesNotStartWith = "does_not_start_with"
    case isBlank = "is_blank"
    case isNotBlank = "is_not_blank"
    case regex
    case lessThan = "less_than"
    case greaterThan = "greater_than"
    case isBeforeTime = "is_before_time"
    case isAfterTime = "is_after_time"
    case isBeforeDate = "is_before_date"
    case isAfterDate = "is_after_date"

    /// Whether `input` satisfies the comparison with `value` (placeholder until the split operators land).
    public func holds(input: String, value: String, now: Date) -> Bool {
        input == value
    }
}
