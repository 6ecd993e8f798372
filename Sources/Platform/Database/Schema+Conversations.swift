extension Schema {
    /// Conversations: threads, their participants (chat identities and SMS bindings), messages, the SMS copies of
    /// messages (delivery receipts) and webhooks (version 9).
    static let conversationMigrations: [Migration] = [
        Migration(version: 9, name: "conversations", statements: [
            // `last_message_index` hands out message indexes: the update that takes one locks the row, so indexes
            // strictly increase in commit order. The timers' dates are moved on by every message. `sms_participants`
            // counts the participants with an SMS binding: a message to a conversation without any needs no copies.
            """
            CREATE TABLE conversations (
                sid text PRIMARY KEY CHECK (sid ~ '^CH[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                unique_name text,
                friendly_name text,
                attributes text NOT NULL,
                state text NOT NULL CHECK (state IN ('active', 'inactive', 'closed')),
                messaging_service_sid text,
                inactive_after integer,
                closed_after integer,
                date_inactive timestamptz,
                date_closed timestamptz,
                last_message_index integer NOT NULL DEFAULT -1,
                sms_participants integer NOT NULL DEFAULT 0,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now(),
                UNIQUE (account_sid, unique_name))
            """,
            "CREATE INDEX conversations_by_account ON conversations (account_sid, seq)",
            "CREATE INDEX conversations_by_timer ON conversations (least(date_inactive, date_closed)) WHERE state <> 'closed'",
            // A chat participant has an identity; an SMS participant a binding (its address and our number, the proxy).
            """
            CREATE TABLE conversation_participants (
                sid text PRIMARY KEY CHECK (sid ~ '^MB[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                conversation_sid text NOT NULL REFERENCES conversations (sid) ON DELETE CASCADE,
                identity text,
                address text,
                proxy_address text,
                attributes text NOT NULL,
                role_sid text,
                last_read_message_index integer,
                last_read_timestamp timestamptz,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now(),
                UNIQUE (conversation_sid, identity),
                CHECK (identity IS NOT NULL OR (address IS NOT NULL AND proxy_address IS NOT NULL)))
            """,
            "CREATE INDEX conversation_participants_by_conversation ON conversation_participants (conversation_sid, seq)",
            "CREATE INDEX conversation_participants_by_binding ON conversation_participants (proxy_address, address) WHERE address IS NOT NULL",
            "CREATE INDEX conversation_participants_by_identity ON conversation_participants (account_sid, identity) WHERE identity IS NOT NULL",
            """
            CREATE TABLE conversation_messages (
                sid text PRIMARY KEY CHECK (sid ~ '^IM[0-9a-f]{32}$'),
                account_sid text NOT NULL,
                conversation_sid text NOT NULL REFERENCES conversations (sid) ON DELETE CASCADE,
                message_index integer NOT NULL,
                author text NOT NULL,
                body text,
                attributes text NOT NULL,
                participant_sid text,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now(),
                UNIQUE (conversation_sid, message_index))
            """,
            // A message's account is its conversation's (no foreign key of its own: one check fewer per message).
            // The SMS a message became for one SMS participant; its status is the SMS's (`messages`).
            """
            CREATE TABLE conversation_deliveries (
                sid text PRIMARY KEY CHECK (sid ~ '^DY[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                conversation_sid text NOT NULL,
                message_sid text NOT NULL REFERENCES conversation_messages (sid) ON DELETE CASCADE,
                participant_sid text NOT NULL,
                channel_message_sid text NOT NULL,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX conversation_deliveries_by_message ON conversation_deliveries (message_sid, seq)",
            """
            CREATE TABLE conversation_webhooks (
                sid text PRIMARY KEY CHECK (sid ~ '^WH[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                conversation_sid text NOT NULL REFERENCES conversations (sid) ON DELETE CASCADE,
                target text NOT NULL CHECK (target IN ('webhook', 'studio')),
                url text,
                method text NOT NULL CHECK (method IN ('GET', 'POST')),
                filters text[] NOT NULL,
                flow_sid text,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX conversation_webhooks_by_conversation ON conversation_webhooks (conversation_sid, seq)",
            // An account's Configuration/Webhooks (absent: the defaults).
            """
            CREATE TABLE conversation_webhook_settings (
                account_sid text PRIMARY KEY REFERENCES accounts (sid),
                method text NOT NULL CHECK (method IN ('GET', 'POST')),
                filters text[] NOT NULL,
                pre_webhook_url text,
                post_webhook_url text,
                target text NOT NULL CHECK (target IN ('webhook', 'flex')),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
        ]),
    ]
}
