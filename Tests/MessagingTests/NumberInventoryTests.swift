import Testing

@testable import Messaging

struct PhoneNumberTests {
    @Test(arguments: ["+14155551212", "+447700900123", "+2901234", "+123456789012345"])
    func acceptsE164(_ text: String) throws {
        #expect(try #require(PhoneNumber(text)).e164 == text)
    }

    @Test(arguments: ["14155551212", "+04155551212", "+1415555121a", "+1234567890123456", "+123456", "", "+", "+1 415 555 1212"])
    func refusesAnythingElse(_ text: String) {
        #expect(PhoneNumber(text) == nil)
    }

    @Test func lenientFormStripsSeparatorsButNeedsTheCountryCode() {
        #expect(PhoneNumber(lenient: "+1 (415) 555-1212")?.e164 == "+14155551212")
        #expect(PhoneNumber(lenient: "+44 7700.900.123")?.e164 == "+447700900123")
        #expect(PhoneNumber(lenient: "(415) 555-1212") == nil)
    }

    @Test func nanpNumbersHaveAnAreaCodeAndTwiliosFriendlyName() throws {
        let us = try #require(PhoneNumber("+14155551212"))
        #expect(us.areaCode == "415")
        #expect(us.friendlyName == "(415) 555-1212")
        let uk = try #require(PhoneNumber("+447700900123"))
        #expect(uk.areaCode == nil)
        #expect(uk.friendlyName == "+447700900123")
    }
}

struct NumberPatternTests {
    @Test(arguments: [
        ("STORM", "%78676%"),
        ("510555****", "%510555____%"),
        ("+1415*******", "+1415_______%"),
        ("+8150*******", "+8150_______%"),
        ("1212$", "%1212"),
        ("%55", "%55%"),
        ("55%", "%55%"),
        ("+1415%", "+1415%"),
        ("*1212$", "%_1212"),
    ])
    func translatesToALikePattern(_ text: String, _ like: String) throws {
        #expect(try NumberPattern(text).likePattern == like)
    }

    @Test(arguments: [
        ("5", NumberPatternError.length),
        ("12345678901234567", .length),
        ("41-5", .character("-")),
        ("4é5", .character("é")),
        ("4+15", .misplacedMeta("+")),
        ("41$5", .misplacedMeta("$")),
        ("4%15", .misplacedMeta("%")),
        ("**5*", .tooFewLiterals),
    ])
    func refusesBadPatterns(_ text: String, _ error: NumberPatternError) {
        #expect(throws: error) { try NumberPattern(text) }
    }

    @Test func lettersMapToTheKeypad() {
        #expect("ABCDEFGHIJKLMNOPQRSTUVWXYZ".compactMap(NumberPattern.keypadDigit) == Array("22233344455566677778889999"))
        #expect("pqrs".compactMap(NumberPattern.keypadDigit) == Array("7777"))
    }
}

struct NumberInventoryFileTests {
    @Test func readsEveryColumnInAnyOrderWithQuotesAndCRLF() throws {
        let csv = "type,phone_number,iso_country,capabilities,region,locality,postal_code,connection,sms_rate\r\n"
            + "local,+14155551212,us,voice;sms;mms,CA,\"San Francisco, City of\",94107,carrier-a,\r\n"
            + "\r\n"
            + "toll-free,+18005550100,US,SMS|voice,,,,,\r\n"
            + "mobile,+447700900123,GB,sms,,\"The \"\"Town\"\"\",,,2.5\n"
        let numbers = try NumberInventoryFile.parse(csv)
        #expect(numbers.count == 3)
        #expect(numbers[0] == InventoryNumber(
            phoneNumber: try #require(PhoneNumber("+14155551212")), isoCountry: "US", type: .local,
            capabilities: [.voice, .sms, .mms], region: "CA", locality: "San Francisco, City of", postalCode: "94107",
            connection: "carrier-a"))
        #expect(numbers[0].segmentsPerSecond == 1)
        #expect(numbers[1].type == .tollFree)
        #expect(numbers[1].capabilities == [.voice, .sms])
        #expect(numbers[1].region == nil)
        #expect(numbers[1].connection == NumberInventoryFile.defaultConnection)
        #expect(numbers[1].segmentsPerSecond == 3)
        #expect(numbers[2].locality == "The \"Town\"")
        #expect(numbers[2].segmentsPerSecond == 2.5)
    }

    @Test(arguments: [
        ("phone_number,iso_country,type\n+14155551212,US,local\n", 1, "no 'capabilities'"),
        ("phone_number,iso_country,type,capabilities,colour\n", 1, "unknown column 'colour'"),
        ("phone_number,iso_country,type,capabilities\n+14155551212,US,local,sms\n4155551213,US,local,sms\n", 3, "not E.164"),
        ("phone_number,iso_country,type,capabilities\n+14155551212,USA,local,sms\n", 2, "iso_country"),
        ("phone_number,iso_country,type,capabilities\n+14155551212,US,landline,sms\n", 2, "type 'landline'"),
        ("phone_number,iso_country,type,capabilities\n+14155551212,US,local,fax\n", 2, "capabilities 'fax'"),
        ("phone_number,iso_country,type,capabilities\n+14155551212,US,local\n", 2, "3 fields"),
        ("phone_number,iso_country,type,capabilities,sms_rate\n+14155551212,US,local,sms,0\n", 2, "sms_rate '0'"),
        ("phone_number,iso_country,type,capabilities\n+14155551212,US,local,sms\n+14155551212,US,local,sms\n", 3, "already on line 2"),
        ("phone_number,iso_country,type,capabilities\n\"+14155551212,US,local,sms\n", 2, "not closed"),
        ("", 1, "empty"),
    ])
    func reportsTheFirstProblemWithItsLine(_ csv: String, _ line: Int, _ fragment: String) {
        do {
            _ = try NumberInventoryFile.parse(csv)
            Issue.record("parsed a bad file")
        } catch {
            #expect(error.line == line)
            #expect(error.message.contains(fragment), "\(error)")
        }
    }

    @Test func aQuotedFieldMaySpanLinesAndLineNumbersFollow() throws {
        let csv = "phone_number,iso_country,type,capabilities,locality\n+14155551212,US,local,sms,\"two\nlines\"\n+1415555121x,US,local,sms,\n"
        #expect(throws: NumberInventoryError(line: 4, "phone_number '+1415555121x' is not E.164 (+ and 7-15 digits)")) {
            try NumberInventoryFile.parse(csv)
        }
    }
}
