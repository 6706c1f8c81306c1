-- The desk's index of tickets: one narrow row each with what its filters and order read,
-- apart from the tickets' JSON, so a queue of tens of thousands is filtered and counted from
-- a couple of megabytes that stay in the page cache. `sort_key` is the queue's order: open
-- tickets by deadline, then closed ones newest first (see ticket::sort_key). Comments
-- (internal ones reach only a staff member's cache), and the staff of each house's
-- organisation, for assigning offline.
CREATE TABLE ticket_index (
    id          INTEGER PRIMARY KEY,
    house_id    INTEGER NOT NULL,
    status      TEXT NOT NULL,
    category    TEXT NOT NULL,
    emergency   INTEGER NOT NULL,
    place       TEXT NOT NULL,
    entrance    INTEGER,
    assignee_id INTEGER,
    created_s   INTEGER NOT NULL,
    deadline_s  INTEGER NOT NULL,
    sort_key    INTEGER NOT NULL
) STRICT;
CREATE INDEX ticket_index_order ON ticket_index (sort_key, id);
CREATE INDEX ticket_index_deadline ON ticket_index (deadline_s);
CREATE INDEX ticket_index_status ON ticket_index (status, deadline_s);
INSERT INTO ticket_index
    SELECT id, house_id, status, category, emergency, place, entrance, assignee_id, created_s, deadline_s,
           iif(status IN ('new', 'accepted', 'in_work'), deadline_s, 8000000000 - created_s)
    FROM (SELECT id, house_id, status, coalesce(json_extract(payload, '$.category'), 'other') AS category,
                 iif(json_extract(payload, '$.emergency'), 1, 0) AS emergency,
                 coalesce(json_extract(payload, '$.place'), 'other') AS place,
                 json_extract(payload, '$.entrance') AS entrance, json_extract(payload, '$.assignee_id') AS assignee_id,
                 coalesce(CAST(strftime('%s', json_extract(payload, '$.created_at')) AS INTEGER), 0) AS created_s,
                 coalesce(CAST(strftime('%s', json_extract(payload, '$.deadline_at')) AS INTEGER), 0) AS deadline_s
          FROM tickets);

CREATE TABLE ticket_comments (
    id        INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL,
    house_id  INTEGER NOT NULL,
    internal  INTEGER NOT NULL,
    payload   TEXT NOT NULL
) STRICT;
CREATE INDEX ticket_comments_ticket ON ticket_comments (ticket_id, id);

CREATE TABLE staff (
    house_id  INTEGER NOT NULL,
    person_id INTEGER NOT NULL,
    payload   TEXT NOT NULL,
    PRIMARY KEY (house_id, person_id)
) STRICT;

-- A message names the ticket it reports on or was made into.
ALTER TABLE messages ADD COLUMN ticket_id INTEGER;

-- The desk's text filter: titles and texts, with the chat search's folding of case and ё.
CREATE VIRTUAL TABLE tickets_fts USING fts5(
    title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5'
);
INSERT INTO tickets_fts (rowid, title, body)
    SELECT id, json_extract(payload, '$.title'), json_extract(payload, '$.body') FROM tickets;
