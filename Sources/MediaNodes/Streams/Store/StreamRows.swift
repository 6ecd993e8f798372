import Foundation
import Platform
import PostgresNIO

/// Decoding of `media_streams` rows, and the `parameters` column's JSON (`[[name, value], …]`).
enum StreamRows {
    static let columns = """
        sid, account_sid, room_sid, participant_sid, name, url, track, audio_format, sample_rate, bidirectional, bot_identity,
        bot_participant_sid, parameters::text AS parameters, status_callback, status_callback_method, upgrade_signature,
        reconnect_attempts, status, error, date_created, date_updated, seq
        """

    static func stream(_ row: PostgresRow) throws -> (sequence: Int64, item: MediaStream) {
        let row = row.makeRandomAccess()
        let sid = try row.sid("sid", table: "media_streams")
        guard let track = MediaStreamTrack(rawValue: try row.value("track")),
            let encoding = MediaStreamAudioFormat.Encoding(rawValue: try row.value("audio_format")),
            let format = MediaStreamAudioFormat(encoding: encoding, sampleRate: try row.value("sample_rate")),
            let method = DeliveryMethod(rawValue: try row.value("status_callback_method")),
            let status = MediaStreamStatus(rawValue: try row.value("status")),
            let parameters = decode(try row.value("parameters"))
        else { throw CorruptRowError(table: "media_streams", key: sid.rawValue) }
        let stream = MediaStream(
            sid: sid, accountSid: try row.sid("account_sid", table: "media_streams"), roomSid: try row.sid("room_sid", table: "media_streams"),
            participantSid: try row.sid("participant_sid", table: "media_streams"), name: try row.value("name"), url: try row.value("url"),
            track: track, audioFormat: format, bidirectional: try row.value("bidirectional"), botIdentity: try row.value("bot_identity"),
            botParticipantSid: try row.optionalSID("bot_participant_sid"), parameters: parameters,
            statusCallback: try row.value("status_callback"), statusCallbackMethod: method,
            upgradeSignature: try row.value("upgrade_signature"), reconnectAttempts: try row.value("reconnect_attempts"),
            status: status, error: try row.value("error"), dateCreated: try row.value("date_created"),
            dateUpdated: try row.value("date_updated"))
        return (try row.value("seq"), stream)
    }

    /// `[["FirstName","Jane"],…]`
    static func encode(_ parameters: [MediaStreamParameter]) -> String {
        var bytes = [UInt8(ascii: "[")]
        for (index, parameter) in parameters.enumerated() {
            bytes += index == 0 ? [UInt8(ascii: "[")] : Array(",[".utf8)
            JSONObjectWriter.appendString(parameter.name, to: &bytes)
            bytes.append(UInt8(ascii: ","))
            JSONObjectWriter.appendString(parameter.value, to: &bytes)
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }

    static func decode(_ json: String) -> [MediaStreamParameter]? {
        guard let pairs = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String]] else { return nil }
        var parameters: [MediaStreamParameter] = []
        for pair in pairs {
            guard pair.count == 2 else { return nil }
            parameters.append(MediaStreamParameter(name: pair[0], value: pair[1]))
        }
        return parameters
    }
}
