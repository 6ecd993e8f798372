/// Parley's schema, as an ordered list of migrations. Never edit an applied migration; add a new one.
public enum Schema {
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "tenancy", statements: [
            """
            CREATE TABLE platform_settings (
                name text PRIMARY KEY,
                value text NOT NULL)
            """,
            // A main account has no parent; a subaccount's parent is a main account.
            """
            CREATE TABLE accounts (
                sid text PRIMARY KEY CHECK (sid ~ '^AC[0-9a-f]{32}$'),
                parent_sid text REFERENCES accounts (sid),
                friendly_name text NOT NULL,
                status text NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
                auth_token bytea NOT NULL,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX accounts_by_parent ON accounts (parent_sid, seq)",
            """
            CREATE TABLE api_keys (
                sid text PRIMARY KEY CHECK (sid ~ '^SK[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                friendly_name text,
                secret bytea NOT NULL,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX api_keys_by_account ON api_keys (account_sid, seq)",
            // Stored responses for POSTs carrying an Idempotency-Key (kept 24 hours).
            """
            CREATE TABLE idempotency_keys (
                account_sid text NOT NULL REFERENCES accounts (sid),
                key text NOT NULL,
                fingerprint bytea NOT NULL,
                state text NOT NULL CHECK (state IN ('pending', 'complete')),
                holder text NOT NULL,
                response_status integer,
                response_content_type text,
                response_body bytea,
                created_at timestamptz NOT NULL DEFAULT now(),
                lease_expires_at timestamptz NOT NULL,
                PRIMARY KEY (account_sid, key))
            """,
            "CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at)",
        ]),
        Migration(version: 2, name: "events", statements: [
            // The outbox: one row per event, written in the transaction of the change it reports, with both
            // bodies it is sent as: `json` (native events) and `form` (the same fields as a Twilio parameter set).
            """
            CREATE TABLE events (
                sid text PRIMARY KEY CHECK (sid ~ '^EV[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                type text NOT NULL,
                json bytea NOT NULL,
                form bytea NOT NULL,
                occurred_at timestamptz NOT NULL DEFAULT clock_timestamp())
            """,
            "CREATE INDEX events_by_account ON events (account_sid, occurred_at)",
            // Where an account wants its events. `secret` (sealed `whsec_…`) signs JSON deliveries; after a
            // rotation the previous one keeps signing alongside until `previous_secret_expires_at`.
            """
            CREATE TABLE event_subscriptions (
                sid text PRIMARY KEY CHECK (sid ~ '^ES[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                friendly_name text,
                url text NOT NULL,
                event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
                format text NOT NULL CHECK (format IN ('json', 'form')),
                method text NOT NULL CHECK (method IN ('GET', 'POST')),
                enabled boolean NOT NULL,
                disabled_reason text,
                secret bytea NOT NULL,
                previous_secret bytea,
                previous_secret_expires_at timestamptz,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX event_subscriptions_by_account ON event_subscriptions (account_sid, seq)",
            // One message to one URL, retried until delivered or out of attempts. An event delivery names
            // its event and subscription; a Twilio callback (StatusCallback, SmsUrl…) carries its own form
            // `payload`. A pending row is due at `next_attempt_at`; claiming it pushes that out by the lease,
            // so a worker that dies leaves it due again when the lease runs out.
            """
            CREATE TABLE deliveries (
                sid text PRIMARY KEY CHECK (sid ~ '^ED[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                subscription_sid text REFERENCES event_subscriptions (sid) ON DELETE SET NULL,
                event_sid text REFERENCES events (sid),
                event_type text NOT NULL,
                url text NOT NULL,
                method text NOT NULL CHECK (method IN ('GET', 'POST')),
                format text NOT NULL CHECK (format IN ('json', 'form')),
                payload bytea,
                status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
                attempt_count integer NOT NULL DEFAULT 0,
                schedule_start integer NOT NULL DEFAULT 0,
                next_attempt_at timestamptz,
                lease_holder text,
                last_response_code integer,
                last_error text,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT clock_timestamp(),
                date_updated timestamptz NOT NULL DEFAULT clock_timestamp(),
                date_delivered timestamptz,
                CHECK (event_sid IS NOT NULL OR payload IS NOT NULL))
            """,
            "CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending'",
            "CREATE INDEX deliveries_by_account ON deliveries (account_sid, seq)",
            "CREATE INDEX deliveries_by_subscription ON deliveries (subscription_sid) WHERE status = 'pending'",
            "CREATE INDEX deliveries_pending_by_age ON deliveries (date_created) WHERE status = 'pending'",
            // Every try: when, where, what came back (the first 1 KB of the body) or what went wrong.
            """
            CREATE TABLE delivery_attempts (
                delivery_sid text NOT NULL REFERENCES deliveries (sid) ON DELETE CASCADE,
                number integer NOT NULL,
                account_sid text NOT NULL REFERENCES accounts (sid),
                started_at timestamptz NOT NULL,
                url text NOT NULL,
                response_code integer,
                latency_ms double precision NOT NULL,
                response_excerpt bytea,
                error text,
                PRIMARY KEY (delivery_sid, number))
            """,
        ]),
    ]
}
