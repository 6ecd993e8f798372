import Logging
import Platform
import PostgresNIO

/// The operator's number inventory: loading it, and searching the numbers no account owns.
public struct NumberInventoryRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// What an import changed.
    public struct ImportSummary: Sendable, Equatable {
        public var added = 0
        public var updated = 0
        public var unchanged = 0
    }

    /// Adds the numbers not yet in the inventory and updates those that changed, in one transaction: importing
    /// the same file again changes nothing. Ownership is never touched; numbers missing from the file stay.
    public func load(_ numbers: [InventoryNumber], logger: Logger) async throws -> ImportSummary {
        try await database.withTransaction(logger: logger) { connection in
            var summary = ImportSummary()
            for number in numbers {
                let rows = try await connection.query(
                    """
                    INSERT INTO number_inventory AS n (phone_number, iso_country, number_type, voice, sms, mms, region, locality,
                        postal_code, connection, segments_per_second)
                    VALUES (\(number.phoneNumber.e164), \(number.isoCountry), \(number.type.rawValue),
                        \(number.capabilities.contains(.voice)), \(number.capabilities.contains(.sms)), \(number.capabilities.contains(.mms)),
                        \(number.region), \(number.locality), \(number.postalCode), \(number.connection), \(number.segmentsPerSecond))
                    ON CONFLICT (phone_number) DO UPDATE SET iso_country = excluded.iso_country, number_type = excluded.number_type,
                        voice = excluded.voice, sms = excluded.sms, mms = excluded.mms, region = excluded.region,
                        locality = excluded.locality, postal_code = excluded.postal_code, connection = excluded.connection,
                        segments_per_second = excluded.segments_per_second, date_updated = now()
                    WHERE (n.iso_country, n.number_type, n.voice, n.sms, n.mms, n.region, n.locality, n.postal_code, n.connection,
                        n.segments_per_second) IS DISTINCT FROM (excluded.iso_country, excluded.number_type, excluded.voice,
                        excluded.sms, excluded.mms, excluded.region, excluded.locality, excluded.postal_code, excluded.connection,
                        excluded.segments_per_second)
                    RETURNING xmax = 0 AS inserted
                    """, logger: logger
                ).collect()
                // No row: the number was there, identical. `xmax = 0` tells a fresh insert from an update.
                if let row = rows.first {
                    if try row.decode(Bool.self) { summary.added += 1 } else { summary.updated += 1 }
                } else {
                    summary.unchanged += 1
                }
            }
            return summary
        }
    }

    /// Twilio's search filters for available numbers; nil means no filter.
    public struct SearchFilter: Sendable {
        public var areaCode: String?
        public var contains: NumberPattern?
        public var inRegion: String?
        public var inLocality: String?
        public var inPostalCode: String?
        public var smsEnabled: Bool?
        public var voiceEnabled: Bool?
        public var mmsEnabled: Bool?

        public init() {}
    }

    /// Up to `limit` numbers of `country` and `type` that no account owns, matching `filter`, in number order.
    public func available(
        country: String, type: NumberType, filter: SearchFilter, limit: Int, logger: Logger
    ) async throws -> [InventoryNumber] {
        // AreaCode applies to NANP numbers only: +1, then the three digits.
        let areaPrefix = filter.areaCode.map { "+1\($0)%" }
        let rows = try await database.query(
            """
            SELECT \(unescaped: NumberRows.inventoryColumns) FROM number_inventory n
            WHERE n.iso_country = \(country) AND n.number_type = \(type.rawValue)
              AND NOT EXISTS (SELECT 1 FROM incoming_phone_numbers p WHERE p.phone_number = n.phone_number)
              AND (\(areaPrefix)::text IS NULL OR n.phone_number LIKE \(areaPrefix))
              AND (\(filter.contains?.likePattern)::text IS NULL OR n.phone_number LIKE \(filter.contains?.likePattern))
              AND (\(filter.inRegion)::text IS NULL OR lower(n.region) = lower(\(filter.inRegion)))
              AND (\(filter.inLocality)::text IS NULL OR lower(n.locality) = lower(\(filter.inLocality)))
              AND (\(filter.inPostalCode)::text IS NULL OR n.postal_code = \(filter.inPostalCode))
              AND (\(filter.smsEnabled)::boolean IS NULL OR n.sms = \(filter.smsEnabled))
              AND (\(filter.voiceEnabled)::boolean IS NULL OR n.voice = \(filter.voiceEnabled))
              AND (\(filter.mmsEnabled)::boolean IS NULL OR n.mms = \(filter.mmsEnabled))
            ORDER BY n.phone_number
            LIMIT \(limit)
            """, logger: logger)
        return try rows.map(NumberRows.inventory)
    }

    /// The countries with at least one available number, with the types available in each.
    public func availableCountries(logger: Logger) async throws -> [(country: String, types: Set<NumberType>)] {
        let rows = try await database.query(
            """
            SELECT n.iso_country, array_agg(DISTINCT n.number_type) FROM number_inventory n
            WHERE NOT EXISTS (SELECT 1 FROM incoming_phone_numbers p WHERE p.phone_number = n.phone_number)
            GROUP BY n.iso_country ORDER BY n.iso_country
            """, logger: logger)
        return try rows.map { row in
            let (country, types) = try row.decode((String, [String]).self)
            return (country, Set(types.compactMap(NumberType.init(rawValue:))))
        }
    }
}
