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
    ]
}
