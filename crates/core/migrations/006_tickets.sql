-- Tickets as the desk queries them: the columns its filters and order read, so a queue of
-- tens of thousands is filtered without decoding the JSON; comments (internal ones reach
-- only a staff member's cache); and the staff of each house's organisation, for assigning
-- offline.
ALTER TABLE tickets ADD COLUMN category TEXT NOT NULL DEFAULT 'other';
ALTER TABLE tickets ADD COLUMN emergency INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN place TEXT NOT NULL DEFAULT 'other';
ALTER TABLE tickets ADD COLUMN entrance INTEGER;
ALTER TABLE tickets ADD COLUMN author_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN assignee_id INTEGER;
ALTER TABLE tickets ADD COLUMN created_s INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN deadline_s INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN closed_s INTEGER;
UPDATE tickets SET
    category = json_extract(payload, '$.category'),
    emergency = iif(json_extract(payload, '$.emergency'), 1, 0),
    author_id = json_extract(payload, '$.author_id'),
    created_s = CAST(strftime('%s', json_extract(payload, '$.created_at')) AS INTEGER),
    deadline_s = CAST(strftime('%s', json_extract(payload, '$.deadline_at')) AS INTEGER);
CREATE INDEX tickets_deadline ON tickets (deadline_s);

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
