extension Schema {
    /// Studio flows: flows and their revisions, executions and their steps (version 10); test users (11).
    static let flowMigrations: [Migration] = [
        Migration(version: 10, name: "flows", statements: [
            // `revision` is the latest revision; `published_revision` the latest published one (what executions run).
            """
            CREATE TABLE flows (
                sid text PRIMARY KEY CHECK (sid ~ '^FW[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                revision integer NOT NULL,
                published_revision integer,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX flows_by_account ON flows (account_sid, seq)",
            // Every update is a new revision, with the whole definition (JSON text, as sent).
            """
            CREATE TABLE flow_revisions (
                flow_sid text NOT NULL REFERENCES flows (sid) ON DELETE CASCADE,
                account_sid text NOT NULL REFERENCES accounts (sid),
                revision integer NOT NULL,
                friendly_name text NOT NULL,
                status text NOT NULL CHECK (status IN ('draft', 'published')),
                definition text NOT NULL,
                commit_message text,
                date_created timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (flow_sid, revision))
            """,
            // `state` is the interpreter's whole state (JSON). `waiting` says what an active execution waits for and
            // `wake_at` until when: a reply's deadline, or the lease of the worker making its HTTP request (after it
            // another worker takes over). `effect_sequence` numbers the waits, so a late result is never applied twice.
            """
            CREATE TABLE flow_executions (
                sid text PRIMARY KEY CHECK (sid ~ '^FN[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                flow_sid text NOT NULL REFERENCES flows (sid) ON DELETE CASCADE,
                revision integer NOT NULL,
                contact_sid text NOT NULL,
                contact_address text NOT NULL,
                flow_address text NOT NULL,
                initiated_by text NOT NULL,
                status text NOT NULL CHECK (status IN ('active', 'ended')),
                state text NOT NULL,
                waiting text CHECK (waiting IN ('http', 'reply')),
                wake_at timestamptz,
                waiting_message_sid text,
                effect_sequence integer NOT NULL DEFAULT 0,
                expires_at timestamptz NOT NULL,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
            // Studio's rule: one active execution per contact and flow.
            "CREATE UNIQUE INDEX flow_executions_one_active ON flow_executions (flow_sid, contact_address) WHERE status = 'active'",
            "CREATE INDEX flow_executions_by_flow ON flow_executions (flow_sid, seq)",
            "CREATE INDEX flow_executions_due ON flow_executions (wake_at) WHERE status = 'active' AND waiting IS NOT NULL",
            "CREATE INDEX flow_executions_expiring ON flow_executions (expires_at) WHERE status = 'active'",
            """
            CREATE INDEX flow_executions_awaiting_reply ON flow_executions (account_sid, flow_address, contact_address)
                WHERE status = 'active' AND waiting = 'reply'
            """,
            "CREATE INDEX flow_executions_by_message ON flow_executions (waiting_message_sid) WHERE status = 'active' AND waiting = 'reply'",
            """
            CREATE TABLE flow_steps (
                sid text PRIMARY KEY CHECK (sid ~ '^FT[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                execution_sid text NOT NULL REFERENCES flow_executions (sid) ON DELETE CASCADE,
                flow_sid text NOT NULL,
                name text NOT NULL,
                type text NOT NULL,
                transitioned_from text NOT NULL,
                transitioned_to text NOT NULL,
                context text NOT NULL,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX flow_steps_by_execution ON flow_steps (execution_sid, seq)",
        ]),
        // Contacts whose executions run the flow's latest revision, draft or not.
        Migration(version: 11, name: "flow_test_users", statements: [
            "ALTER TABLE flows ADD COLUMN test_users text[] NOT NULL DEFAULT '{}'",
        ]),
    ]
}
