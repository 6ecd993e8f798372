/// The operator's number inventory as a CSV file (RFC 4180: comma-separated, fields in double quotes when they
/// hold commas, quotes or line breaks, `""` for a quote inside one). The first row names the columns, in any
/// order: `phone_number` (E.164), `iso_country`, `type` (local, toll-free, mobile) and `capabilities` (voice,
/// sms, mms, separated by `;`) are required; `region`, `locality`, `postal_code`, `connection` (the carrier
/// connection's name; default `sandbox`) and `sms_rate` (segments a second; default 1, 3 for toll-free) are
/// optional. Blank lines are skipped.
public enum NumberInventoryFile {
    public static let requiredColumns = ["phone_number", "iso_country", "type", "capabilities"]
    public static let optionalColumns = ["region", "locality", "postal_code", "connection", "sms_rate"]
    public static let defaultConnection = "sandbox"

    /// Every number of the file, or the first problem with its line number; a file with any bad row loads nothing.
    public static func parse(_ text: String) throws(NumberInventoryError) -> [InventoryNumber] {
        let rows = try records(text)
        guard let (headerLine, header) = rows.first else { throw NumberInventoryError(line: 1, "the file is empty") }
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() {
            let column = name.trimmingWhitespace.lowercased()
            guard requiredColumns.contains(column) || optionalColumns.contains(column) else {
                throw NumberInventoryError(line: headerLine, "unknown column '\(column)' (columns: \((requiredColumns + optionalColumns).joined(separator: ", ")))")
            }
            guard index.updateValue(position, forKey: column) == nil else { throw NumberInventoryError(line: headerLine, "column '\(column)' appears twice") }
        }
        for column in requiredColumns where index[column] == nil {
            throw NumberInventoryError(line: headerLine, "the header has no '\(column)' column")
        }

        var numbers: [InventoryNumber] = []
        var seen: [PhoneNumber: Int] = [:]
        for (line, fields) in rows.dropFirst() where !(fields.count == 1 && fields[0].trimmingWhitespace.isEmpty) {
            guard fields.count == header.count else {
                throw NumberInventoryError(line: line, "\(fields.count) fields where the header has \(header.count)")
            }
            func field(_ column: String) -> String? {
                guard let position = index[column] else { return nil }
                let value = fields[position].trimmingWhitespace
                return value.isEmpty ? nil : value
            }
            let number = try parseRow(field, line: line)
            if let first = seen.updateValue(line, forKey: number.phoneNumber) {
                throw NumberInventoryError(line: line, "\(number.phoneNumber) is already on line \(first)")
            }
            numbers.append(number)
        }
        return numbers
    }

    private static func parseRow(_ field: (String) -> String?, line: Int) throws(NumberInventoryError) -> InventoryNumber {
        guard let text = field("phone_number"), let phoneNumber = PhoneNumber(text) else {
            throw NumberInventoryError(line: line, "phone_number '\(field("phone_number") ?? "")' is not E.164 (+ and 7-15 digits)")
        }
        guard let country = field("iso_country")?.uppercased(), country.count == 2, country.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw NumberInventoryError(line: line, "iso_country '\(field("iso_country") ?? "")' is not a two-letter ISO 3166 code")
        }
        guard let type = field("type").flatMap({ NumberType(rawValue: $0.lowercased()) }) else {
            throw NumberInventoryError(line: line, "type '\(field("type") ?? "")' is not local, toll-free or mobile")
        }
        guard let capabilities = NumberCapabilities(names: field("capabilities") ?? ""), !capabilities.isEmpty else {
            throw NumberInventoryError(line: line, "capabilities '\(field("capabilities") ?? "")' must name voice, sms and/or mms")
        }
        var rate: Double?
        if let text = field("sms_rate") {
            guard let value = Double(text), value > 0, value <= 10_000 else {
                throw NumberInventoryError(line: line, "sms_rate '\(text)' is not a number of segments a second (above 0, at most 10000)")
            }
            rate = value
        }
        return InventoryNumber(
            phoneNumber: phoneNumber, isoCountry: country, type: type, capabilities: capabilities,
            region: field("region"), locality: field("locality"), postalCode: field("postal_code"),
            connection: field("connection") ?? defaultConnection, segmentsPerSecond: rate)
    }

    /// The file's records with the line each starts on.
    private static func records(_ text: String) throws(NumberInventoryError) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var recordLine = 1
        var characters = text[...]
        while let character = characters.popFirst() {
            // Swift reads "\r\n" as one Character.
            let isNewline = character == "\n" || character == "\r\n" || character == "\r"
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                guard field.isEmpty else { throw NumberInventoryError(line: line, "a quote inside an unquoted field") }
                quoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else if isNewline {
                fields.append(field)
                records.append((recordLine, fields))
                fields = []
                field = ""
                recordLine = line + 1
            } else {
                field.append(character)
            }
            if isNewline { line += 1 }
        }
        guard !quoted else { throw NumberInventoryError(line: recordLine, "a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append((recordLine, fields))
        }
        return records
    }
}

/// A problem in the inventory file, with the line it is on.
public struct NumberInventoryError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
