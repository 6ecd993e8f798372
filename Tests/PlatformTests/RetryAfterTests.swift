import Foundation
import Platform
import Testing

@Suite struct RetryAfterTests {
    /// `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110's example.
    static let example: TimeInterval = 784_111_777
    let now = Date(timeIntervalSince1970: example - 90)

    @Test(arguments: [("120", 120), ("0", 0), (" 5 ", 5), ("\t86400", 86_400), ("007", 7)])
    func parsesDeltaSeconds(_ header: String, _ seconds: Int64) {
        #expect(RetryAfter.parse(header, now: now) == .seconds(seconds))
    }

    @Test func hugeDeltaSecondsMeanALongTime() {
        #expect(RetryAfter.parse("99999999999999999999999", now: now) == .seconds(Int64.max))
    }

    @Test func parsesIMFFixdate() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == .seconds(90))
        #expect(RetryAfter.parse(" Sun, 06 Nov 1994 08:49:37 GMT ", now: now) == .seconds(90))
        let halfSecondLater = Date(timeIntervalSince1970: Self.example - 89.5)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: halfSecondLater) == .milliseconds(89_500))
        // A date in the past: go now.
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:48:00 GMT", now: now) == .zero)
        #expect(RetryAfter.parse("Thu, 01 Jan 1970 00:00:00 GMT", now: now) == .zero)
    }

    @Test(arguments: [
        ("Thu, 29 Feb 2024 00:00:00 GMT", 1_709_164_800.0),
        ("Tue, 29 Feb 2000 12:00:00 GMT", 951_825_600.0),
        ("Fri, 01 Jan 2100 00:00:00 GMT", 4_102_444_800.0),
        ("Thu, 01 Jan 1970 00:00:01 GMT", 1.0),
        ("Wed, 31 Dec 2025 23:59:59 GMT", 1_767_225_599.0),
    ])
    func computesCalendarDatesExactly(_ header: String, _ epoch: TimeInterval) {
        #expect(RetryAfter.parse(header, now: Date(timeIntervalSince1970: 0)) == .seconds(epoch))
    }

    @Test(arguments: [
        "", "soon", "-5", "+5", "1.5", "1e3", "5 s", "0x10",
        "Sunday, 06-Nov-94 08:49:37 GMT",  // RFC 850
        "Sun Nov  6 08:49:37 1994",  // asctime
        "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37 +0000", "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT", "Sun, 31 Nov 1994 08:49:37 GMT", "Wed, 29 Feb 2023 00:00:00 GMT",
        "Thu, 29 Feb 1900 00:00:00 GMT", "Sun,06 Nov 1994 08:49:37 GMT ", "Sun, 06 Nov 1994 08-49-37 GMT",
        "Sun, +6 Nov 1994 08:49:37 GMT",
    ])
    func rejectsEverythingElse(_ header: String) {
        #expect(RetryAfter.parse(header, now: now) == nil)
    }
}
