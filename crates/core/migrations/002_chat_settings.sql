-- Per-chat settings the person makes on this machine.
CREATE TABLE chat_settings (
    community_id INTEGER PRIMARY KEY,
    muted        INTEGER NOT NULL DEFAULT 0 CHECK (muted IN (0, 1))
) STRICT;
