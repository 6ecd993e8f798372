import Logging
import Platform
import PostgresNIO

/// The numbers accounts own: buying, configuring and releasing them. Every call is scoped by the account.
public struct IncomingPhoneNumberRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    private static let from = "incoming_phone_numbers p JOIN number_inventory n ON n.phone_number = p.phone_number"

    /// Buys `phoneNumber` for `account`. Of two accounts buying one number at once, exactly one gets it: the
    /// other finds it owned (`notAvailable`), as does anyone asking for a number not in the inventory.
    public func buy(
        _ phoneNumber: PhoneNumber, account: SID, friendlyName: String?, configuration: NumberConfiguration, logger: Logger
    ) async throws -> IncomingPhoneNumber {
        guard let number = try await insert(phoneNumber, account: account, friendlyName: friendlyName, configuration: configuration, logger: logger) else {
            throw NumberPurchaseError.notAvailable(phoneNumber)
        }
        return number
    }

    /// Buys some available NANP number in `areaCode` (the lowest SMS-capable one first; Twilio picks one too).
    public func buy(
        areaCode: String, account: SID, friendlyName: String?, configuration: NumberConfiguration, logger: Logger
    ) async throws -> IncomingPhoneNumber {
        // A candidate may be bought by someone else between the read and the insert: try the next ones.
        let candidates = try await database.query(
            """
            SELECT n.phone_number FROM number_inventory n
            WHERE n.phone_number LIKE \("+1\(areaCode)%")
              AND NOT EXISTS (SELECT 1 FROM incoming_phone_numbers p WHERE p.phone_number = n.phone_number)
            ORDER BY n.sms DESC, n.phone_number LIMIT 10
            """, logger: logger)
        for row in candidates {
            guard let phoneNumber = PhoneNumber(try row.decode(String.self)) else { continue }
            if let number = try await insert(phoneNumber, account: account, friendlyName: friendlyName, configuration: configuration, logger: logger) {
                return number
            }
        }
        throw NumberPurchaseError.noneInAreaCode(areaCode)
    }

    private func insert(
        _ phoneNumber: PhoneNumber, account: SID, friendlyName: String?, configuration: NumberConfiguration, logger: Logger
    ) async throws -> IncomingPhoneNumber? {
        let sid = SID.generate(.phoneNumber)
        let c = configuration
        let inserted = try await database.query(
            """
            INSERT INTO incoming_phone_numbers (sid, account_sid, phone_number, friendly_name, sms_url, sms_method, sms_fallback_url,
                sms_fallback_method, voice_url, voice_method, voice_fallback_url, voice_fallback_method, status_callback,
                status_callback_method)
            SELECT \(sid.rawValue), \(account.rawValue), n.phone_number, \(friendlyName ?? phoneNumber.friendlyName), \(c.smsURL),
                \(c.smsMethod.rawValue), \(c.smsFallbackURL), \(c.smsFallbackMethod.rawValue), \(c.voiceURL), \(c.voiceMethod.rawValue),
                \(c.voiceFallbackURL), \(c.voiceFallbackMethod.rawValue), \(c.statusCallback), \(c.statusCallbackMethod.rawValue)
            FROM number_inventory n WHERE n.phone_number = \(phoneNumber.e164)
            ON CONFLICT (phone_number) DO NOTHING
            RETURNING sid
            """, logger: logger)
        guard !inserted.isEmpty else { return nil }
        return try await find(sid, account: account, logger: logger)
    }

    public func find(_ sid: SID, account: SID, logger: Logger) async throws -> IncomingPhoneNumber? {
        let rows = try await database.query(
            "SELECT \(unescaped: NumberRows.incomingColumns) FROM \(unescaped: Self.from) WHERE p.sid = \(sid.rawValue) AND p.account_sid = \(account.rawValue)",
            logger: logger)
        return try rows.first.map(NumberRows.incoming)?.item
    }

    /// The list filters: `PhoneNumber` (a partial number; `*` stands for any digit), `FriendlyName` (exact) and the
    /// number's type (Twilio's `IncomingPhoneNumbers/Local.json` and the like).
    public struct ListFilter: Sendable {
        public var type: NumberType?
        /// A SQL `LIKE` pattern over the E.164 number.
        public var phoneNumberPattern: String?
        public var friendlyName: String?

        public init() {}

        /// The pattern for a partial number such as `415555`, `+1415*`, `555-12**`; nil when it holds other characters.
        public static func pattern(forPartialNumber text: String) -> String? {
            let kept = text.filter { !" -().".contains($0) }
            guard !kept.isEmpty, kept.dropFirst(kept.hasPrefix("+") ? 1 : 0).allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "*") }) else {
                return nil
            }
            let like = String(kept.map { $0 == "*" ? "_" : $0 })
            return kept.hasPrefix("+") ? like + "%" : "%" + like + "%"
        }
    }

    public func list(account: SID, filter: ListFilter, cursor: PageCursor, pageSize: Int, logger: Logger) async throws -> Page<IncomingPhoneNumber> {
        let bounds = cursor.bounds
        let rows = try await database.query(
            """
            SELECT \(unescaped: NumberRows.incomingColumns) FROM \(unescaped: Self.from)
            WHERE p.account_sid = \(account.rawValue)
              AND (\(filter.phoneNumberPattern)::text IS NULL OR p.phone_number LIKE \(filter.phoneNumberPattern))
              AND (\(filter.friendlyName)::text IS NULL OR p.friendly_name = \(filter.friendlyName))
              AND (\(filter.type?.rawValue)::text IS NULL OR n.number_type = \(filter.type?.rawValue))
              AND p.seq > \(bounds.after) AND p.seq < \(bounds.before)
            ORDER BY p.seq \(unescaped: bounds.descending ? "DESC" : "ASC")
            LIMIT \(pageSize + 1) OFFSET \(bounds.offset)
            """, logger: logger)
        return Page(lookahead: try rows.map(NumberRows.incoming), pageSize: pageSize, cursor: cursor)
    }

    /// Applies `update`; nil when the account has no such number.
    public func update(_ sid: SID, account: SID, _ update: NumberUpdate, logger: Logger) async throws -> IncomingPhoneNumber? {
        try await database.withTransaction(logger: logger) { connection -> IncomingPhoneNumber? in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: NumberRows.incomingColumns) FROM \(unescaped: Self.from)
                WHERE p.sid = \(sid.rawValue) AND p.account_sid = \(account.rawValue) FOR UPDATE OF p
                """, logger: logger
            ).collect()
            guard let row = rows.first else { return nil }
            let current = try NumberRows.incoming(row).item
            let c = update.applied(to: current.configuration)
            try await connection.query(
                """
                UPDATE incoming_phone_numbers SET friendly_name = \(update.friendlyName ?? current.friendlyName), sms_url = \(c.smsURL),
                    sms_method = \(c.smsMethod.rawValue), sms_fallback_url = \(c.smsFallbackURL),
                    sms_fallback_method = \(c.smsFallbackMethod.rawValue), voice_url = \(c.voiceURL), voice_method = \(c.voiceMethod.rawValue),
                    voice_fallback_url = \(c.voiceFallbackURL), voice_fallback_method = \(c.voiceFallbackMethod.rawValue),
                    status_callback = \(c.statusCallback), status_callback_method = \(c.statusCallbackMethod.rawValue), date_updated = now()
                WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue)
                """, logger: logger)
            let updated = try await connection.query(
                "SELECT \(unescaped: NumberRows.incomingColumns) FROM \(unescaped: Self.from) WHERE p.sid = \(sid.rawValue)",
                logger: logger
            ).collect()
            return try updated.first.map(NumberRows.incoming)?.item
        }
    }

    /// Releases the number back to the inventory; false when the account has no such number.
    public func release(_ sid: SID, account: SID, logger: Logger) async throws -> Bool {
        let rows = try await database.query(
            "DELETE FROM incoming_phone_numbers WHERE sid = \(sid.rawValue) AND account_sid = \(account.rawValue) RETURNING sid",
            logger: logger)
        return !rows.isEmpty
    }
}
