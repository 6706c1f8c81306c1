-- Moderation: a message's pin and a moderator's reason for deleting it; the community's
-- log (the deleted words only for its moderators) and the complaints a moderator works or
-- the person made.
ALTER TABLE messages ADD COLUMN pinned_at TEXT;
ALTER TABLE messages ADD COLUMN deleted_reason TEXT;
CREATE INDEX messages_pinned ON messages (community_id, pinned_at) WHERE pinned_at IS NOT NULL;

CREATE TABLE mod_log (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL,
    payload      TEXT NOT NULL
) STRICT;
CREATE INDEX mod_log_community ON mod_log (community_id, id);

CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL,
    open         INTEGER NOT NULL,
    payload      TEXT NOT NULL
) STRICT;
CREATE INDEX reports_queue ON reports (community_id, open, id);
