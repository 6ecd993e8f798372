import Foundation
import Platform
import PostgresNIO

/// Decoding of `number_inventory` rows, alone or joined to the `incoming_phone_numbers` row that owns them.
enum NumberRows {
    /// The inventory columns, qualified by the alias `n`.
    static let inventoryColumns = """
        n.phone_number, n.iso_country, n.number_type, n.voice, n.sms, n.mms, n.region, n.locality, n.postal_code,
        n.connection, n.segments_per_second
        """

    /// An owned number's columns (alias `p`) after the inventory's (alias `n`).
    static let incomingColumns = inventoryColumns + """
        , p.sid, p.account_sid, p.friendly_name, p.sms_url, p.sms_method, p.sms_fallback_url, p.sms_fallback_method,
        p.voice_url, p.voice_method, p.voice_fallback_url, p.voice_fallback_method, p.status_callback,
        p.status_callback_method, p.date_created, p.date_updated, p.seq
        """

    static func inventory(_ row: PostgresRow) throws -> InventoryNumber {
        try inventory(row.makeRandomAccess())
    }

    static func incoming(_ row: PostgresRow) throws -> (sequence: Int64, item: IncomingPhoneNumber) {
        let row = row.makeRandomAccess()
        let sid = try row.sid("sid", table: "incoming_phone_numbers")
        func method(_ column: String) throws -> DeliveryMethod {
            guard let method = DeliveryMethod(rawValue: try row.value(column)) else {
                throw CorruptRowError(table: "incoming_phone_numbers", key: sid.rawValue)
            }
            return method
        }
        var configuration = NumberConfiguration()
        configuration.smsURL = try row.value("sms_url")
        configuration.smsMethod = try method("sms_method")
        configuration.smsFallbackURL = try row.value("sms_fallback_url")
        configuration.smsFallbackMethod = try method("sms_fallback_method")
        configuration.voiceURL = try row.value("voice_url")
        configuration.voiceMethod = try method("voice_method")
        configuration.voiceFallbackURL = try row.value("voice_fallback_url")
        configuration.voiceFallbackMethod = try method("voice_fallback_method")
        configuration.statusCallback = try row.value("status_callback")
        configuration.statusCallbackMethod = try method("status_callback_method")
        let number = IncomingPhoneNumber(
            sid: sid, accountSid: try row.sid("account_sid", table: "incoming_phone_numbers"), number: try inventory(row),
            friendlyName: try row.value("friendly_name"), configuration: configuration,
            dateCreated: try row.value("date_created"), dateUpdated: try row.value("date_updated"))
        return (try row.value("seq"), number)
    }

    private static func inventory(_ row: PostgresRandomAccessRow) throws -> InventoryNumber {
        let text: String = try row.value("phone_number")
        guard let phoneNumber = PhoneNumber(text), let type = NumberType(rawValue: try row.value("number_type")) else {
            throw CorruptRowError(table: "number_inventory", key: text)
        }
        var capabilities: NumberCapabilities = []
        if try row.value("voice") { capabilities.insert(.voice) }
        if try row.value("sms") { capabilities.insert(.sms) }
        if try row.value("mms") { capabilities.insert(.mms) }
        return InventoryNumber(
            phoneNumber: phoneNumber, isoCountry: try row.value("iso_country"), type: type, capabilities: capabilities,
            region: try row.value("region"), locality: try row.value("locality"), postalCode: try row.value("postal_code"),
            connection: try row.value("connection"), segmentsPerSecond: try row.value("segments_per_second"))
    }
}
