extension Schema {
    /// Numbers, messages and their segments (versions 5-8).
    static let messagingMigrations: [Migration] = [
        Migration(version: 5, name: "numbers", statements: [
            // The operator's carrier numbers (`parley numbers import`): not tenant data. A number is available while
            // no account owns it (no incoming_phone_numbers row).
            """
            CREATE TABLE number_inventory (
                phone_number text PRIMARY KEY CHECK (phone_number ~ '^\\+[1-9][0-9]{6,14}$'),
                iso_country text NOT NULL CHECK (iso_country ~ '^[A-Z]{2}$'),
                number_type text NOT NULL CHECK (number_type IN ('local', 'toll-free', 'mobile')),
                voice boolean NOT NULL,
                sms boolean NOT NULL,
                mms boolean NOT NULL,
                region text,
                locality text,
                postal_code text,
                connection text NOT NULL,
                segments_per_second double precision NOT NULL CHECK (segments_per_second > 0),
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_imported timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX number_inventory_by_country_and_type ON number_inventory (iso_country, number_type, seq)",
            // A number an account bought. The unique phone_number is what makes two concurrent purchases of one number
            // end with exactly one owner.
            """
            CREATE TABLE incoming_phone_numbers (
                sid text PRIMARY KEY CHECK (sid ~ '^PN[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                phone_number text NOT NULL UNIQUE REFERENCES number_inventory (phone_number),
                friendly_name text NOT NULL,
                sms_url text,
                sms_method text NOT NULL CHECK (sms_method IN ('GET', 'POST')),
                sms_fallback_url text,
                sms_fallback_method text NOT NULL CHECK (sms_fallback_method IN ('GET', 'POST')),
                voice_url text,
                voice_method text NOT NULL CHECK (voice_method IN ('GET', 'POST')),
                voice_fallback_url text,
                voice_fallback_method text NOT NULL CHECK (voice_fallback_method IN ('GET', 'POST')),
                status_callback text,
                status_callback_method text NOT NULL CHECK (status_callback_method IN ('GET', 'POST')),
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX incoming_phone_numbers_by_account ON incoming_phone_numbers (account_sid, seq)",
        ]),
        Migration(version: 6, name: "messages", statements: [
            // When the number may send its next segment: each message takes the next free slot and moves it on by
            // its segments ÷ the number's rate, so a burst queues instead of being dropped.
            "ALTER TABLE incoming_phone_numbers ADD COLUMN sms_next_free_at timestamptz NOT NULL DEFAULT now()",
            // Messages sent and received. `send_after` is the slot an outbound message waits for; `connection` the
            // carrier connection that carries it, `carrier_message_id` the id that connection gave it (receipts
            // name it).
            """
            CREATE TABLE messages (
                sid text PRIMARY KEY CHECK (sid ~ '^SM[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                direction text NOT NULL CHECK (direction IN ('inbound', 'outbound-api', 'outbound-reply')),
                from_number text NOT NULL,
                to_number text NOT NULL,
                body text NOT NULL,
                media_urls text[] NOT NULL,
                num_segments integer NOT NULL CHECK (num_segments >= 1),
                encoding text NOT NULL CHECK (encoding IN ('GSM-7', 'UCS-2')),
                status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received')),
                error_code integer,
                error_message text,
                status_callback text,
                status_callback_method text NOT NULL CHECK (status_callback_method IN ('GET', 'POST')),
                validity_period integer CHECK (validity_period BETWEEN 1 AND 36000),
                connection text NOT NULL,
                carrier_message_id text,
                send_after timestamptz NOT NULL DEFAULT now(),
                date_sent timestamptz,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX messages_by_account ON messages (account_sid, seq)",
            "CREATE INDEX messages_due ON messages (send_after) WHERE status = 'queued'",
            "CREATE INDEX messages_by_carrier_id ON messages (connection, carrier_message_id) WHERE carrier_message_id IS NOT NULL",
            // What the sandbox connection's simulated handsets received (numbers no account owns).
            """
            CREATE TABLE sandbox_handset_messages (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                account_sid text NOT NULL REFERENCES accounts (sid),
                message_sid text NOT NULL,
                from_number text NOT NULL,
                to_number text NOT NULL,
                body text NOT NULL,
                num_segments integer NOT NULL,
                date_received timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX sandbox_handset_messages_by_to ON sandbox_handset_messages (to_number, id)",
        ]),
        Migration(version: 7, name: "message_parts", statements: [
            // The segments a carrier took, with the id it gave each: delivery receipts name a segment, and a message
            // is final once every segment's receipt came.
            """
            CREATE TABLE message_parts (
                message_sid text NOT NULL REFERENCES messages (sid) ON DELETE CASCADE,
                account_sid text NOT NULL REFERENCES accounts (sid),
                part integer NOT NULL,
                connection text NOT NULL,
                carrier_message_id text NOT NULL,
                status text NOT NULL CHECK (status IN ('sent', 'delivered', 'undelivered', 'failed')),
                error_code integer,
                PRIMARY KEY (message_sid, part))
            """,
            "CREATE INDEX message_parts_by_carrier_id ON message_parts (connection, carrier_message_id)",
        ]),
        Migration(version: 8, name: "messages_sending", statements: [
            // Messages a sender claimed and never finished (it died): claimed again after a while.
            "CREATE INDEX messages_sending ON messages (date_updated) WHERE status = 'sending'",
        ]),
    ]
}
