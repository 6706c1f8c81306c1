-- The outbox, in a file of its own beside the cache: the one thing the server cannot give
-- back, so a damaged cache file never takes it along.
-- Messages written here and not yet confirmed by the server. `client_key` is the
-- idempotency key the server stores once, however often the item is sent.
CREATE TABLE outbox.outbox (
    id              INTEGER PRIMARY KEY,
    client_key      TEXT NOT NULL UNIQUE,
    community_id    INTEGER NOT NULL,
    body            TEXT NOT NULL,
    reply_to        INTEGER,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    error_code      TEXT,
    error_message   TEXT,
    created_at      TEXT NOT NULL
) STRICT;
