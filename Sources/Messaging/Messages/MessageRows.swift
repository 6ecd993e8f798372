import Foundation
import Platform
import PostgresNIO

/// Decoding of `messages` rows.
enum MessageRows {
    static let columns = """
        sid, account_sid, direction, from_number, to_number, body, media_urls, num_segments, encoding, status, error_code,
        error_message, status_callback, status_callback_method, validity_period, connection, date_sent, date_created,
        date_updated, seq
        """

    static func message(_ row: PostgresRow) throws -> (sequence: Int64, item: Message) {
        let row = row.makeRandomAccess()
        let sid = try row.sid("sid", table: "messages")
        guard let direction = MessageDirection(rawValue: try row.value("direction")),
            let encoding = SMSEncoding(rawValue: try row.value("encoding")),
            let status = MessageStatus(rawValue: try row.value("status")),
            let method = DeliveryMethod(rawValue: try row.value("status_callback_method"))
        else { throw CorruptRowError(table: "messages", key: sid.rawValue) }
        let message = Message(
            sid: sid, accountSid: try row.sid("account_sid", table: "messages"), direction: direction,
            from: try row.value("from_number"), to: try row.value("to_number"), body: try row.value("body"),
            mediaURLs: try row.value("media_urls"), numSegments: try row.value("num_segments"), encoding: encoding, status: status,
            errorCode: try row.value("error_code"), errorMessage: try row.value("error_message"),
            statusCallback: try row.value("status_callback"), statusCallbackMethod: method,
            validityPeriod: try row.value("validity_period"), connection: try row.value("connection"),
            dateSent: try row.value("date_sent"), dateCreated: try row.value("date_created"), dateUpdated: try row.value("date_updated"))
        return (try row.value("seq"), message)
    }
}
