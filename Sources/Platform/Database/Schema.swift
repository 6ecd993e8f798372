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
        Migration(version: 3, name: "video", statements: [
            // Deliveries sharing an ordering key (a room's status callbacks) go out one at a time, oldest first.
            "ALTER TABLE deliveries ADD COLUMN ordering_key text",
            "CREATE INDEX deliveries_ordered_pending ON deliveries (ordering_key, seq) WHERE status = 'pending' AND ordering_key IS NOT NULL",
            // Media nodes register themselves and heartbeat; a node whose heartbeat is older than the failure
            // threshold is declared `dead` by the gateway's sweeper, and its rooms are placed elsewhere.
            """
            CREATE TABLE media_nodes (
                sid text PRIMARY KEY CHECK (sid ~ '^MN[0-9a-f]{32}$'),
                name text NOT NULL,
                signaling_url text NOT NULL,
                media_host text NOT NULL,
                media_port integer NOT NULL,
                capacity integer NOT NULL CHECK (capacity > 0),
                load integer NOT NULL DEFAULT 0,
                version text NOT NULL,
                status text NOT NULL CHECK (status IN ('active', 'draining', 'dead', 'stopped')),
                last_heartbeat_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
            // `node_sid` is where the room's media and signaling live while it is in progress (NULL until
            // first needed). `idle_deadline` ends the room on its own: creation + UnusedRoomTimeout until
            // someone joins, last departure + EmptyRoomTimeout once empty, NULL while anyone is present.
            // `callback_sequence` numbers the room's status callbacks (their SequenceNumber).
            """
            CREATE TABLE rooms (
                sid text PRIMARY KEY CHECK (sid ~ '^RM[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                unique_name text NOT NULL,
                status text NOT NULL CHECK (status IN ('in-progress', 'completed', 'failed')),
                type text NOT NULL,
                max_participants integer NOT NULL,
                max_participant_duration integer NOT NULL,
                status_callback text,
                status_callback_method text NOT NULL CHECK (status_callback_method IN ('GET', 'POST')),
                empty_room_timeout integer NOT NULL,
                unused_room_timeout integer NOT NULL,
                audio_only boolean NOT NULL,
                record_participants_on_connect boolean NOT NULL,
                video_codecs text[] NOT NULL,
                media_region text NOT NULL,
                large_room boolean NOT NULL,
                node_sid text REFERENCES media_nodes (sid),
                present_count integer NOT NULL DEFAULT 0 CHECK (present_count >= 0),
                idle_deadline timestamptz,
                callback_sequence integer NOT NULL DEFAULT 0,
                end_time timestamptz,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE UNIQUE INDEX rooms_in_progress_by_name ON rooms (account_sid, unique_name) WHERE status = 'in-progress'",
            "CREATE INDEX rooms_by_account ON rooms (account_sid, seq)",
            "CREATE INDEX rooms_by_node ON rooms (node_sid) WHERE status = 'in-progress'",
            "CREATE INDEX rooms_idle ON rooms (idle_deadline) WHERE status = 'in-progress'",
            // A participant is present while `connected` or `reconnecting` (its connection dropped; it may
            // resume within the reconnect window); one present participant per identity per room.
            """
            CREATE TABLE room_participants (
                sid text PRIMARY KEY CHECK (sid ~ '^PA[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                room_sid text NOT NULL REFERENCES rooms (sid),
                identity text NOT NULL,
                status text NOT NULL CHECK (status IN ('connected', 'reconnecting', 'disconnected')),
                start_time timestamptz NOT NULL DEFAULT now(),
                end_time timestamptz,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX room_participants_by_room ON room_participants (room_sid, seq)",
            "CREATE UNIQUE INDEX room_participants_present ON room_participants (room_sid, identity) WHERE status <> 'disconnected'",
            "CREATE INDEX room_participants_reconnecting ON room_participants (date_updated) WHERE status = 'reconnecting'",
            // Tracks a participant publishes; an unpublished track keeps its row with `unpublished_at`.
            """
            CREATE TABLE published_tracks (
                sid text PRIMARY KEY CHECK (sid ~ '^MT[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                room_sid text NOT NULL REFERENCES rooms (sid),
                participant_sid text NOT NULL REFERENCES room_participants (sid),
                name text NOT NULL,
                kind text NOT NULL CHECK (kind IN ('audio', 'video', 'data')),
                enabled boolean NOT NULL DEFAULT true,
                unpublished_at timestamptz,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX published_tracks_by_participant ON published_tracks (participant_sid, seq)",
            // Which tracks a participant currently receives.
            """
            CREATE TABLE subscribed_tracks (
                subscriber_sid text NOT NULL REFERENCES room_participants (sid),
                track_sid text NOT NULL REFERENCES published_tracks (sid),
                account_sid text NOT NULL REFERENCES accounts (sid),
                room_sid text NOT NULL REFERENCES rooms (sid),
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (subscriber_sid, track_sid))
            """,
            "CREATE INDEX subscribed_tracks_by_track ON subscribed_tracks (track_sid)",
        ]),
        Migration(version: 4, name: "media_streams", statements: [
            // A participant's audio streamed to a WebSocket consumer. `parameters` is `[[name, value], …]` in the
            // order given; `upgrade_signature` is the `X-Twilio-Signature` of the WebSocket upgrade, computed by the
            // gateway with the account's auth token (nodes hold no tokens). `bot_identity` is set on bidirectional
            // streams: the consumer's audio is published by a participant of that identity (`bot_participant_sid`
            // once it joined). A stream is stopped once, with `error` when it ended in error.
            """
            CREATE TABLE media_streams (
                sid text PRIMARY KEY CHECK (sid ~ '^MZ[0-9a-f]{32}$'),
                account_sid text NOT NULL REFERENCES accounts (sid),
                room_sid text NOT NULL REFERENCES rooms (sid),
                participant_sid text NOT NULL REFERENCES room_participants (sid),
                name text,
                url text NOT NULL,
                track text NOT NULL CHECK (track IN ('inbound_track', 'outbound_track', 'both_tracks')),
                audio_format text NOT NULL CHECK (audio_format IN ('audio/x-mulaw', 'audio/x-l16')),
                sample_rate integer NOT NULL,
                bidirectional boolean NOT NULL,
                bot_identity text,
                bot_participant_sid text REFERENCES room_participants (sid),
                parameters jsonb NOT NULL,
                status_callback text,
                status_callback_method text NOT NULL CHECK (status_callback_method IN ('GET', 'POST')),
                upgrade_signature text NOT NULL,
                reconnect_attempts integer NOT NULL CHECK (reconnect_attempts BETWEEN 0 AND 10),
                status text NOT NULL CHECK (status IN ('in-progress', 'stopped')),
                error text,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                date_created timestamptz NOT NULL DEFAULT now(),
                date_updated timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE UNIQUE INDEX media_streams_in_progress_by_name ON media_streams (room_sid, name) WHERE status = 'in-progress'",
            "CREATE INDEX media_streams_by_room ON media_streams (room_sid, seq)",
            "CREATE INDEX media_streams_in_progress_by_participant ON media_streams (participant_sid) WHERE status = 'in-progress'",
        ]),
    ] + messagingMigrations + conversationMigrations + flowMigrations
}
