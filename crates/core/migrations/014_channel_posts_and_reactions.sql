-- A channel post for some of its houses keeps their ids (a JSON array; NULL: everyone).
ALTER TABLE messages ADD COLUMN houses TEXT;

-- Reactions to the cached messages: one per person and message.
CREATE TABLE reactions (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    person_id    INTEGER NOT NULL,
    emoji        TEXT NOT NULL
) STRICT;
CREATE INDEX reactions_message ON reactions (message_id, emoji);
CREATE INDEX reactions_community ON reactions (community_id);
