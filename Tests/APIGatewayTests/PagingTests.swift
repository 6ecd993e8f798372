import APIGateway
import Foundation
import Platform
import TestSupport
import Testing

/// Both paging envelopes: API 2010's relative URIs and v1's `meta` with absolute URLs.
@Suite struct PagingTests {
    static let envelopeKeys: Set<String> = ["first_page_uri", "next_page_uri", "previous_page_uri", "uri", "page", "page_size", "start", "end"]

    @Test func followingNextPageURIsVisitsEveryAccountOnce() async throws {
        try await GatewayHarness.run { gateway in
            var expected = [gateway.owner.sid.rawValue]
            for index in 0..<5 { expected.append(try await gateway.makeSubaccount(of: gateway.owner, "sub \(index)").sid.rawValue) }
            var seen: [String] = []
            var pages: [[String: Any]] = []
            var next: String? = "/2010-04-01/Accounts.json?PageSize=2"
            while let uri = next {
                let page = try await gateway.send(.get, "/api" + uri, as: gateway.ownerCredentials).json()
                #expect(Set(page.keys) == Self.envelopeKeys.union(["accounts"]))
                seen += (page["accounts"] as? [[String: Any]] ?? []).compactMap { $0["sid"] as? String }
                pages.append(page)
                next = page["next_page_uri"] as? String
            }
            #expect(seen == expected)
            #expect(pages.count == 3)
            #expect(pages.map { $0["page"] as? Int } == [0, 1, 2])
            #expect(pages.map { $0["start"] as? Int } == [0, 2, 4])
            #expect(pages.map { $0["end"] as? Int } == [1, 3, 5])
            #expect(pages[0]["previous_page_uri"] is NSNull)
            #expect(pages[0]["first_page_uri"] as? String == "/2010-04-01/Accounts.json?PageSize=2&Page=0")

            // Back from the third page to the second.
            let previous = try #require(pages[2]["previous_page_uri"] as? String)
            let back = try await gateway.send(.get, "/api" + previous, as: gateway.ownerCredentials).json()
            #expect((back["accounts"] as? [[String: Any]])?.compactMap { $0["sid"] as? String } == Array(expected[2..<4]))
            #expect(back["page"] as? Int == 1)
            #expect(back["next_page_uri"] as? String != nil)
        }
    }

    @Test func filtersAndPageSizeCarryIntoLinks() async throws {
        try await GatewayHarness.run { gateway in
            for _ in 0..<3 { _ = try await gateway.makeSubaccount(of: gateway.owner, "twin name") }
            _ = try await gateway.makeSubaccount(of: gateway.owner, "other")
            let first = try await gateway.send(.get, "/api/2010-04-01/Accounts.json?FriendlyName=twin+name&PageSize=2", as: gateway.ownerCredentials).json()
            let next = try #require(first["next_page_uri"] as? String)
            #expect(next.hasPrefix("/2010-04-01/Accounts.json?FriendlyName=twin%20name&PageSize=2&Page=1&PageToken=PA"))
            let second = try await gateway.send(.get, "/api" + next, as: gateway.ownerCredentials).json()
            #expect((second["accounts"] as? [[String: Any]])?.count == 1)
            #expect(second["next_page_uri"] is NSNull)

            let capped = try await gateway.send(.get, "/api/2010-04-01/Accounts.json?PageSize=5000", as: gateway.ownerCredentials).json()
            #expect(capped["page_size"] as? Int == PageRequest.maximumSize)
        }
    }

    @Test func v1EnvelopeUsesAbsoluteURLsAndMeta() throws {
        let page = Page(items: [Item(name: "a"), Item(name: "b")], firstSequence: 7, lastSequence: 9, hasMore: true)
        let request = try PageRequest(query: FormParameters([("PageSize", "2")]))
        let envelope = ListEnvelope(
            key: "rooms", page: page, request: request, path: "/v1/Rooms", filters: FormParameters([("Status", "in-progress")]),
            style: .v1(publicURL: "https://parley.example", mount: "/video")) { $0 }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(envelope.jsonBytes)) as? [String: Any])
        #expect(Set(json.keys) == ["rooms", "meta"])
        #expect((json["rooms"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["a", "b"])
        let meta = try #require(json["meta"] as? [String: Any])
        #expect(meta["key"] as? String == "rooms")
        #expect(meta["page"] as? Int == 0 && meta["page_size"] as? Int == 2)
        #expect(meta["first_page_url"] as? String == "https://parley.example/video/v1/Rooms?Status=in-progress&PageSize=2&Page=0")
        #expect(meta["url"] as? String == "https://parley.example/video/v1/Rooms?Status=in-progress&PageSize=2&Page=0")
        #expect(meta["next_page_url"] as? String == "https://parley.example/video/v1/Rooms?Status=in-progress&PageSize=2&Page=1&PageToken=PA0000000000000009")
        #expect(meta["previous_page_url"] is NSNull)
    }

    private struct Item: JSONRepresentable {
        let name: String
        func write(to json: inout JSONObjectWriter) { json.field("name", name) }
    }

    @Test func pageTokensRoundTrip() throws {
        let after = try PageRequest(query: FormParameters([("PageToken", "PA00000000000000ff"), ("Page", "3")]))
        #expect(after.cursor == .after(255) && after.page == 3)
        let before = try PageRequest(query: FormParameters([("PageToken", "PB0000000000000010")]))
        #expect(before.cursor == .before(16))
        let offset = try PageRequest(query: FormParameters([("Page", "2"), ("PageSize", "10")]))
        #expect(offset.cursor == .offset(20))
        for bad in ["PZ0000000000000001", "PA1", "PAffffffffffffffff", "garbage"] {
            #expect(throws: APIError.self) { try PageRequest(query: FormParameters([("PageToken", bad)])) }
        }
    }
}
