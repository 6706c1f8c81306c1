-- Polls of the person's chats with their tallies, and the person's own choice in each.
CREATE TABLE polls (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL,
    payload      TEXT NOT NULL
) STRICT;
CREATE INDEX polls_community ON polls (community_id, id);

CREATE TABLE my_votes (
    poll_id INTEGER PRIMARY KEY,
    option  INTEGER NOT NULL
) STRICT;
