-- The client cache: what the server said, as of the cursor in `sync_state`. All of it can
-- be rebuilt from the server; the outbox lives in a file of its own (outbox.db).

CREATE TABLE sync_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    cursor    INTEGER NOT NULL,
    person_id INTEGER,
    person    TEXT,
    synced_at TEXT
) STRICT;
INSERT INTO sync_state (id, cursor) VALUES (1, 0);

CREATE TABLE houses (
    id      INTEGER PRIMARY KEY,
    address TEXT NOT NULL,
    payload TEXT NOT NULL
) STRICT;

CREATE TABLE communities (
    id       INTEGER PRIMARY KEY,
    house_id INTEGER,
    kind     TEXT NOT NULL,
    title    TEXT NOT NULL,
    payload  TEXT NOT NULL
) STRICT;

-- The person's own memberships and ownerships: they decide what stays in the cache.
CREATE TABLE memberships (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL,
    role         TEXT NOT NULL,
    payload      TEXT NOT NULL
) STRICT;

CREATE TABLE ownerships (
    id          INTEGER PRIMARY KEY,
    house_id    INTEGER NOT NULL,
    premises_id INTEGER NOT NULL,
    payload     TEXT NOT NULL
) STRICT;

CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL,
    author_id    INTEGER NOT NULL,
    author_name  TEXT NOT NULL,
    author_flat  TEXT,
    author_role  TEXT NOT NULL,
    client_key   TEXT NOT NULL,
    body         TEXT NOT NULL,
    reply_to     INTEGER,
    created_at   TEXT NOT NULL,
    edited_at    TEXT,
    deleted_at   TEXT,
    -- What search sees: ё folded to е, since unicode61 folds case but not this letter.
    search_text  TEXT GENERATED ALWAYS AS (replace(replace(body, 'ё', 'е'), 'Ё', 'Е')) VIRTUAL
) STRICT;
CREATE INDEX messages_community ON messages (community_id, id);
CREATE INDEX messages_client_key ON messages (client_key);

-- Full-text search over message bodies; unicode61 folds Cyrillic and Tatar case (and Latin
-- diacritics). Every typed word is searched as a prefix, so prefix indexes of 2 to 5
-- characters turn the common short prefixes into a single lookup.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    search_text,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5'
);
CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER messages_au AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO messages_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

-- Where a chat's cached history may be missing older messages: below `below_id`.
CREATE TABLE history_gaps (
    community_id INTEGER PRIMARY KEY,
    below_id     INTEGER NOT NULL
) STRICT;

-- What the person has read, per chat (local only).
CREATE TABLE read_state (
    community_id INTEGER PRIMARY KEY,
    last_read_id INTEGER NOT NULL
) STRICT;

-- The other kinds: key columns to query by, and the server's JSON as it came.
CREATE TABLE tickets (
    id       INTEGER PRIMARY KEY,
    house_id INTEGER NOT NULL,
    status   TEXT NOT NULL,
    payload  TEXT NOT NULL
) STRICT;
CREATE INDEX tickets_house ON tickets (house_id, status);

CREATE TABLE notices (
    id      INTEGER NOT NULL,
    house_id INTEGER NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (id, house_id)
) STRICT;

CREATE TABLE repair_plans (
    id       INTEGER PRIMARY KEY,
    house_id INTEGER NOT NULL,
    payload  TEXT NOT NULL
) STRICT;

CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    premises_id INTEGER NOT NULL,
    house_id    INTEGER NOT NULL,
    payload     TEXT NOT NULL
) STRICT;

CREATE TABLE devices (
    id          INTEGER PRIMARY KEY,
    house_id    INTEGER NOT NULL,
    premises_id INTEGER,
    payload     TEXT NOT NULL
) STRICT;

CREATE TABLE readings (
    id        INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL,
    period    TEXT NOT NULL,
    payload   TEXT NOT NULL
) STRICT;
CREATE INDEX readings_device ON readings (device_id, period);

CREATE TABLE bills (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL,
    period     TEXT NOT NULL,
    payload    TEXT NOT NULL
) STRICT;
CREATE INDEX bills_account ON bills (account_id, period);
