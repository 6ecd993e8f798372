import Platform
import Testing

@Suite struct PageTests {
    static func rows(_ sequences: [Int64]) -> [(sequence: Int64, item: String)] {
        sequences.map { ($0, "row\($0)") }
    }

    @Test func lookaheadRowIsDroppedAndMeansMore() {
        let page = Page(lookahead: Self.rows([1, 2, 3, 4]), pageSize: 3, cursor: .start)
        #expect(page.items == ["row1", "row2", "row3"])
        #expect(page.firstSequence == 1)
        #expect(page.lastSequence == 3)
        #expect(page.hasMore)
    }

    @Test func exactlyAPageMeansNoMore() {
        let page = Page(lookahead: Self.rows([5, 9, 12]), pageSize: 3, cursor: .after(4))
        #expect(page.items == ["row5", "row9", "row12"])
        #expect(page.lastSequence == 12)
        #expect(!page.hasMore)
    }

    @Test func emptyPage() {
        let page = Page(lookahead: Self.rows([]), pageSize: 3, cursor: .offset(10))
        #expect(page.items.isEmpty)
        #expect(page.firstSequence == nil)
        #expect(page.lastSequence == nil)
        #expect(!page.hasMore)
    }

    @Test func backwardRowsAreReturnedAscending() {
        // Fetched with ORDER BY seq DESC: nearest to the cursor first, plus one look-ahead row.
        let page = Page(lookahead: Self.rows([9, 8, 7, 6]), pageSize: 3, cursor: .before(10))
        #expect(page.items == ["row7", "row8", "row9"])
        #expect(page.firstSequence == 7)
        #expect(page.lastSequence == 9)
        #expect(page.hasMore)  // the page we came from

        let first = Page(lookahead: Self.rows([2, 1]), pageSize: 3, cursor: .before(3))
        #expect(first.items == ["row1", "row2"])
        #expect(first.hasMore)
    }

    @Test func extraRowsBeyondTheLookaheadAreIgnored() {
        let page = Page(lookahead: Self.rows([1, 2, 3, 4, 5, 6]), pageSize: 2, cursor: .start)
        #expect(page.items == ["row1", "row2"])
        #expect(page.hasMore)
    }
}
