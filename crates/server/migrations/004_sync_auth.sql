-- The change log and the sign-in state.

-- Append-only in order: every change gets the next seq. Only the newest entry of an
-- entity per audience is kept (an older one is deleted when it is superseded), so a
-- client resuming from any cursor gets every entity's current state exactly once.
-- scope: 'c' community, 'h' house, 'f' premises (flat: its accounts, meters, bills), 'p' person.
CREATE TABLE changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    kind      TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    scope     TEXT NOT NULL CHECK (scope IN ('c', 'h', 'f', 'p')),
    scope_id  INTEGER NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    payload   TEXT NOT NULL,
    UNIQUE (kind, entity_id, scope, scope_id)
) STRICT;
CREATE INDEX changes_scope ON changes (scope, scope_id, seq);

CREATE TABLE oauth_codes (
    code_hash      TEXT PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES persons (id),
    client_id      TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    expires_at     INTEGER NOT NULL,
    used           INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

-- Tokens are stored only as SHA-256 hashes.
CREATE TABLE access_tokens (
    token_hash TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons (id),
    family     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX access_tokens_family ON access_tokens (family);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons (id),
    family     TEXT NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0,
    -- Unix seconds of the rotation that used it (for the retry leeway).
    used_at    INTEGER,
    -- The token this one was rotated from.
    parent     TEXT,
    revoked    INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);
CREATE INDEX refresh_tokens_parent ON refresh_tokens (parent);
