import Foundation
import Testing

@testable import Flows

@Suite struct LiquidTemplateTests {
    static let scope: JSONValue = .object([
        "contact": .object(["channel": .object(["address": .string("+15551230000")])]),
        "flow": .object(["variables": .object(["count": .string("4"), "tags": .array([.string("b"), .string("a"), .string("b")])]),
                         "data": .object(["name": .string("zeke"), "price": .double(2.5)])]),
        "widgets": .object(["http": .object(["parsed": .object(["items": .array([
            .object(["sku": .string("x1"), "qty": .integer(2)]), .object(["sku": .string("y2"), "qty": .integer(3)]),
        ])])])]),
    ])
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T11:06:40Z

    func render(_ source: String) throws -> String { try LiquidTemplate(source).render(with: Self.scope, now: Self.now) }

    @Test(arguments: [
        ("Hi {{contact.channel.address}}", "Hi +15551230000"),
        ("{{ missing.value }}|{{ missing | default: 'none' }}", "|none"),
        ("{{ flow.data.name | upcase }} {{ 'ABC' | downcase }} {{ 'hello world' | capitalize }}", "ZEKE abc Hello world"),
        ("[{{ '  x  ' | strip }}]{{ flow.variables.tags | size }}{{ 'abc' | size }}", "[x]33"),
        ("{{ flow.variables.tags | first }}{{ flow.variables.tags | last }}{{ flow.variables.tags | join: '-' }}", "bbb-a-b"),
        ("{{ 'a,b,c' | split: ',' | last }}", "c"),
        ("{{ 'aXbX' | replace: 'X', '.' }}{{ 'aXbX' | remove: 'X' }}{{ 'b' | append: 'c' | prepend: 'a' }}", "a.b.ababc"),
        ("{{ 'abcdefghij' | truncate: 6 }}", "abc..."),
        ("{{ flow.variables.count | plus: 1 }} {{ 5 | minus: 7 }} {{ 3 | times: 4 }} {{ 7 | divided_by: 2 }} {{ 7 | divided_by: 2.0 }} {{ 7 | modulo: 3 }}",
         "5 -2 12 3 3.5 1"),
        ("{{ 2.567 | round: 2 }} {{ 2.5 | round }} {{ flow.data.price | times: 2 }}", "2.57 3 5.0"),
        ("{{ 'now' | date: '%Y-%m-%d %H:%M %a %b' }}", "2026-11-18 11:06 Wed Nov"),
        ("{{ '2026-01-05T10:00:00Z' | date: '%d/%m/%y %I%p' }}", "05/01/26 10AM"),
        ("{{ 'a b&c' | url_encode }} {{ '<a href=\"x\">' | escape }}", "a+b%26c &lt;a href=&quot;x&quot;&gt;"),
        ("{{ flow.data | to_json }}", #"{"name":"zeke","price":2.5}"#),
        ("{{ flow.variables.tags | uniq | sort | join: '' }}{{ widgets.http.parsed.items | map: 'sku' | join: ',' }}", "abx1,y2"),
        ("{% if flow.data.name == 'zeke' %}yes{% elsif x %}no{% else %}never{% endif %}", "yes"),
        ("{% unless flow.data.name contains 'ek' %}a{% else %}b{% endunless %}", "b"),
        ("{% if false or true and nil %}t{% else %}f{% endif %}", "f"),
        ("{% case flow.data.name %}{% when 'amy', 'bob' %}A{% when 'zeke' or 'zed' %}Z{% else %}?{% endcase %}", "Z"),
        ("{% for item in widgets.http.parsed.items %}{{ forloop.index }}:{{ item.sku }}x{{ item.qty }}{% unless forloop.last %}, {% endunless %}{% endfor %}",
         "1:x1x2, 2:y2x3"),
        ("{% for i in (1..10) limit: 3 offset: 2 reversed %}{{ i }}{% endfor %}{% for i in nothing %}x{% else %}empty{% endfor %}", "543empty"),
        ("{% for i in (1..9) %}{% if i == 3 %}{% continue %}{% endif %}{% if i == 5 %}{% break %}{% endif %}{{ i }}{% endfor %}", "124"),
        ("{% assign total = 0 %}{% for item in widgets.http.parsed.items %}{% assign total = total | plus: item.qty %}{% endfor %}{{ total }}", "5"),
        ("{% capture greeting %}Hello {{ flow.data.name }}{% endcapture %}{{ greeting | upcase }}", "HELLO ZEKE"),
        ("a{% comment %} {% nonsense %} {% endcomment %}b{% raw %}{{ not rendered }}{% endraw %}", "ab{{ not rendered }}"),
        ("x  {{- ' y ' -}}  z\n  {%- if true -%}  !  {%- endif %}", "x y z!"),
        ("{% if widgets.http.parsed.items.size > 1 and flow.variables.tags[0] == 'b' %}ok{% endif %}{{ flow.variables.tags[-1] }}", "okb"),
        ("{% if '' == empty and '  ' == blank %}e{% endif %}", "e"),
    ])
    func renders(_ source: String, _ expected: String) throws {
        #expect(try render(source) == expected)
    }

    @Test(arguments: [
        ("{{ name | upcasee }}", "line 1: unknown filter 'upcasee'"),
        ("a\n{% if x %}b", "'if' is not closed (expected 'endif')"),
        ("{{ x", "line 1: '{{' is not closed"),
        ("line\n\n{% frobnicate %}", "line 3: unknown tag 'frobnicate'"),
        ("{% endif %}", "line 1: unexpected 'endif'"),
        ("{{ 'open }}", "line 1: a string is not closed"),
    ])
    func refusesTemplatesThatDoNotParse(_ source: String, _ message: String) {
        #expect(throws: LiquidError(message)) { try LiquidTemplate(source) }
    }

    @Test func failsARenderThatCannotBeComputed() throws {
        #expect(throws: LiquidError("divided by 0")) { try render("{{ 1 | divided_by: 0 }}") }
        #expect(throws: LiquidError("'plus' overflowed")) { try render("{{ 9223372036854775807 | plus: 1 }}") }
        #expect(throws: LiquidError("more than 10000 loop iterations")) {
            try render("{% for a in (1..200) %}{% for b in (1..200) %}{% endfor %}{% endfor %}")
        }
    }

    @Test func neverCrashesOnGarbage() {
        var seed: UInt64 = 42
        let alphabet = Array("{}%|:-.,'\"[]()ab12 =<>!\nifendforassign")
        for _ in 0..<3000 {
            var source = ""
            for _ in 0..<Int(seed % 40) {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                source.append(alphabet[Int(seed >> 33) % alphabet.count])
            }
            if let template = try? LiquidTemplate(source) { _ = try? template.render(with: Self.scope, now: Self.now) }
        }
    }
}
