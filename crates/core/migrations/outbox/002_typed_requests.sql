-- The outbox holds typed requests: a kind, its payload (the request as JSON, kind included)
-- and the idempotency key. A new kind of write (a reading, a ticket, a vote) is a new kind
-- here, not a new table or a new retry loop. Every message already queued is kept.
CREATE TABLE outbox.requests (
    id              INTEGER PRIMARY KEY,
    client_key      TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL CHECK (json_valid(payload)),
    state           TEXT NOT NULL CHECK (state IN ('pending', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    -- Told to wait by the server (429): waking up on a reconnect does not hurry it.
    rate_limited    INTEGER NOT NULL DEFAULT 0 CHECK (rate_limited IN (0, 1)),
    error_code      TEXT,
    error_message   TEXT,
    created_at      TEXT NOT NULL
) STRICT;

INSERT INTO outbox.requests (id, client_key, kind, payload, state, attempts, next_attempt_at, rate_limited,
                             error_code, error_message, created_at)
SELECT id, client_key, 'send_message',
       json_object('kind', 'send_message', 'community_id', community_id, 'body', body, 'reply_to', reply_to),
       state, attempts, next_attempt_at, coalesce(error_message, '') = 'rate limited',
       error_code, CASE WHEN error_message = 'rate limited' THEN NULL ELSE error_message END, created_at
FROM outbox.outbox;

DROP TABLE outbox.outbox;

-- A chat's local echoes are read on every page of it.
CREATE INDEX outbox.requests_chat ON requests (json_extract(payload, '$.community_id')) WHERE kind = 'send_message';
