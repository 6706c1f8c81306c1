-- When the author withdraws from a ticket that neighbours joined, it stays open and passes to
-- the one who joined first (they still have the problem); its history tells of it as a
-- `handover`, naming the new author. The events' kinds are a CHECK, so the table is rebuilt;
-- with the legacy rename the views that read it (ticket_json) keep reading it by name.
PRAGMA legacy_alter_table = ON;
CREATE TABLE ticket_events_new (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id),
    status      TEXT NOT NULL,
    actor_id    INTEGER NOT NULL REFERENCES persons (id),
    at          TEXT NOT NULL,
    note        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'status' CHECK (kind IN ('status', 'assign', 'confirm', 'handover')),
    rating      INTEGER CHECK (rating BETWEEN 1 AND 5),
    -- The executor given (assign), or the co-signer the ticket passed to (handover).
    assignee_id INTEGER REFERENCES persons (id),
    client_key  TEXT,
    request     TEXT
) STRICT;
INSERT INTO ticket_events_new (id, ticket_id, status, actor_id, at, note, kind, rating, assignee_id, client_key, request)
SELECT id, ticket_id, status, actor_id, at, note, kind, rating, assignee_id, client_key, request FROM ticket_events;
DROP TABLE ticket_events;
ALTER TABLE ticket_events_new RENAME TO ticket_events;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id);
CREATE UNIQUE INDEX ticket_events_actor_key ON ticket_events (actor_id, client_key) WHERE client_key IS NOT NULL;
