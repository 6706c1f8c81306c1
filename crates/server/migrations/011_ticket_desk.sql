-- Tickets as residents file them and dispatchers work them: a place in the house, the
-- problem that picks the deadline rule, an executor, co-signers ("me too"), comments (some
-- for the staff only), a link to the chat message a ticket was made from, and the
-- confirmation or reopening that closes the loop.

ALTER TABLE tickets ADD COLUMN problem TEXT CHECK (problem IN ('burst', 'tap', 'from_above', 'door', 'glass'));
ALTER TABLE tickets ADD COLUMN place TEXT NOT NULL DEFAULT 'other'
    CHECK (place IN ('flat', 'entrance', 'floor', 'lift', 'yard', 'roof', 'basement', 'other'));
ALTER TABLE tickets ADD COLUMN entrance INTEGER;
ALTER TABLE tickets ADD COLUMN floor INTEGER;
ALTER TABLE tickets ADD COLUMN source TEXT NOT NULL DEFAULT 'resident' CHECK (source IN ('resident', 'chat'));
ALTER TABLE tickets ADD COLUMN message_id INTEGER REFERENCES messages (id);
ALTER TABLE tickets ADD COLUMN assignee_id INTEGER REFERENCES persons (id);
ALTER TABLE tickets ADD COLUMN closed_at TEXT;
ALTER TABLE tickets ADD COLUMN confirmed_at TEXT;
ALTER TABLE tickets ADD COLUMN rating INTEGER CHECK (rating BETWEEN 1 AND 5);
ALTER TABLE tickets ADD COLUMN reopened INTEGER NOT NULL DEFAULT 0;
-- The filer's idempotency key and the request as sent (to tell a replay from a reuse).
ALTER TABLE tickets ADD COLUMN client_key TEXT;
ALTER TABLE tickets ADD COLUMN request TEXT;
-- Seeded times carry +03:00 and the runtime's Z: the deadline as Unix seconds compares right.
ALTER TABLE tickets ADD COLUMN deadline_s INTEGER
    GENERATED ALWAYS AS (CAST(strftime('%s', deadline_at) AS INTEGER)) VIRTUAL;
CREATE UNIQUE INDEX tickets_author_key ON tickets (author_id, client_key) WHERE client_key IS NOT NULL;
CREATE UNIQUE INDEX tickets_message ON tickets (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX tickets_queue ON tickets (house_id, deadline_s);
CREATE INDEX tickets_assignee ON tickets (assignee_id, status) WHERE assignee_id IS NOT NULL;

UPDATE tickets SET place = CASE
    WHEN premises_id IS NOT NULL THEN 'flat'
    WHEN category = 'lift' THEN 'lift'
    WHEN category = 'roof' THEN 'roof'
    ELSE 'other' END;
UPDATE tickets SET closed_at = updated_at WHERE status IN ('done', 'rejected', 'withdrawn');

ALTER TABLE ticket_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'status' CHECK (kind IN ('status', 'assign', 'confirm'));
ALTER TABLE ticket_events ADD COLUMN rating INTEGER CHECK (rating BETWEEN 1 AND 5);
ALTER TABLE ticket_events ADD COLUMN assignee_id INTEGER REFERENCES persons (id);
ALTER TABLE ticket_events ADD COLUMN client_key TEXT;
ALTER TABLE ticket_events ADD COLUMN request TEXT;
CREATE UNIQUE INDEX ticket_events_actor_key ON ticket_events (actor_id, client_key) WHERE client_key IS NOT NULL;

CREATE TABLE ticket_comments (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
    author_id  INTEGER NOT NULL REFERENCES persons (id),
    -- For the managing organisation's staff and the Inspection only.
    internal   INTEGER NOT NULL CHECK (internal IN (0, 1)),
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    client_key TEXT NOT NULL,
    request    TEXT,
    UNIQUE (author_id, client_key)
) STRICT;
CREATE INDEX ticket_comments_ticket ON ticket_comments (ticket_id, id);

CREATE TABLE ticket_cosigners (
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id),
    person_id   INTEGER NOT NULL REFERENCES persons (id),
    premises_id INTEGER REFERENCES premises (id),
    joined_at   TEXT NOT NULL,
    PRIMARY KEY (ticket_id, person_id)
) STRICT;

-- Executors: staff of an organisation (org_id set) with a trade; dispatchers have none.
ALTER TABLE persons ADD COLUMN trade TEXT
    CHECK (trade IN ('plumber', 'electrician', 'lift', 'roofer', 'cleaner', 'general'));

-- A status post in a chat names its ticket.
ALTER TABLE messages ADD COLUMN ticket_id INTEGER REFERENCES tickets (id);

-- The deadline rules are one table of data in crates/domain (`ticket::FEDERAL_RULES`), read
-- by the server, the client (offline deadlines) and the seed alike; this copy was never read
-- and had drifted (it gave an entrance door three days in summer).
DROP TABLE deadline_rules;

-- A new audience, 's': the staff of a house (its managing organisation's dispatchers and
-- the Inspection), for internal comments. The change log is rebuilt for the wider CHECK,
-- with every seq kept and the AUTOINCREMENT high-water mark restored.
CREATE TABLE changes_high_water AS SELECT seq FROM sqlite_sequence WHERE name = 'changes';
CREATE TABLE changes_next (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    kind      TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    scope     TEXT NOT NULL CHECK (scope IN ('c', 'h', 'f', 'p', 's')),
    scope_id  INTEGER NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    payload   TEXT NOT NULL,
    UNIQUE (kind, entity_id, scope, scope_id)
) STRICT;
INSERT INTO changes_next (seq, kind, entity_id, scope, scope_id, op, payload)
    SELECT seq, kind, entity_id, scope, scope_id, op, payload FROM changes ORDER BY seq;
DROP TABLE changes;
ALTER TABLE changes_next RENAME TO changes;
CREATE INDEX changes_scope ON changes (scope, scope_id, seq);
-- (An empty log leaves no counter row behind: write it whole.)
CREATE TABLE changes_counter AS
    SELECT max(coalesce((SELECT seq FROM changes_high_water), 0), coalesce((SELECT max(seq) FROM changes), 0)) AS seq;
DELETE FROM sqlite_sequence WHERE name = 'changes';
INSERT INTO sqlite_sequence (name, seq) SELECT 'changes', seq FROM changes_counter WHERE seq > 0;
DROP TABLE changes_counter;
DROP TABLE changes_high_water;

-- A ticket about a flat is its holders' and the staff's ('f' and 's'); any other ticket is
-- the house's ('h'). Its public comments go where it goes; internal ones to the staff only.
DROP VIEW feed_ticket;
CREATE VIEW ticket_json AS
SELECT t.id, t.house_id, t.premises_id, t.place = 'flat' AND t.premises_id IS NOT NULL AS private,
       json_object('id', t.id, 'house_id', t.house_id,
                   'premises_number', (SELECT p.number FROM premises p WHERE p.id = t.premises_id),
                   'author_id', t.author_id,
                   'author_name', (SELECT full_name FROM persons WHERE id = t.author_id),
                   'category', t.category, 'problem', t.problem,
                   'emergency', json(iif(t.emergency, 'true', 'false')),
                   'place', t.place, 'entrance', t.entrance, 'floor', t.floor,
                   'source', t.source, 'message_id', t.message_id,
                   'title', t.title, 'body', t.body, 'status', t.status,
                   'assignee_id', t.assignee_id,
                   'assignee_name', (SELECT full_name FROM persons WHERE id = t.assignee_id),
                   'cosigners', json((SELECT json_group_array(c.person_id)
                                      FROM (SELECT person_id FROM ticket_cosigners c WHERE c.ticket_id = t.id
                                            ORDER BY c.joined_at, c.person_id) c)),
                   'flats_affected', (SELECT count(DISTINCT f.premises_id) FROM (
                        SELECT coalesce(t.premises_id,
                                        (SELECT o.premises_id FROM ownerships o JOIN premises p ON p.id = o.premises_id
                                         WHERE o.person_id = t.author_id AND p.house_id = t.house_id
                                         ORDER BY o.id LIMIT 1)) AS premises_id
                        UNION ALL
                        SELECT c.premises_id FROM ticket_cosigners c WHERE c.ticket_id = t.id) f),
                   'created_at', t.created_at, 'deadline_at', t.deadline_at,
                   'updated_at', t.updated_at, 'closed_at', t.closed_at,
                   'confirmed_at', t.confirmed_at, 'rating', t.rating, 'reopened', t.reopened,
                   'client_key', t.client_key,
                   'history', json((SELECT json_group_array(json_object(
                                        'kind', e.kind, 'status', e.status, 'actor_id', e.actor_id,
                                        'actor_name', (SELECT full_name FROM persons WHERE id = e.actor_id),
                                        'at', e.at, 'note', e.note, 'rating', e.rating,
                                        'assignee_name', (SELECT full_name FROM persons WHERE id = e.assignee_id)))
                                    FROM (SELECT * FROM ticket_events e WHERE e.ticket_id = t.id ORDER BY e.id) e))
       ) AS doc
FROM tickets t;

CREATE VIEW feed_ticket AS
SELECT id, 'h' AS scope, house_id AS scope_id, doc AS payload FROM ticket_json WHERE NOT private
UNION ALL
SELECT id, 'f', premises_id, doc FROM ticket_json WHERE private
UNION ALL
SELECT id, 's', house_id, doc FROM ticket_json WHERE private;

CREATE VIEW ticket_comment_json AS
SELECT c.id, t.house_id, t.premises_id, c.internal, t.place = 'flat' AND t.premises_id IS NOT NULL AS private,
       json_object('id', c.id, 'ticket_id', c.ticket_id, 'house_id', t.house_id,
                   'author_id', c.author_id, 'author_name', a.full_name,
                   'staff', json(iif(a.org_id IS NOT NULL OR a.staff_role IS NOT NULL, 'true', 'false')),
                   'internal', json(iif(c.internal, 'true', 'false')),
                   'body', c.body, 'created_at', c.created_at, 'client_key', c.client_key) AS doc
FROM ticket_comments c JOIN tickets t ON t.id = c.ticket_id JOIN persons a ON a.id = c.author_id;

CREATE VIEW feed_ticket_comment AS
SELECT id, 'h' AS scope, house_id AS scope_id, doc AS payload FROM ticket_comment_json WHERE NOT internal AND NOT private
UNION ALL
SELECT id, 'f', premises_id, doc FROM ticket_comment_json WHERE NOT internal AND private
UNION ALL
SELECT id, 's', house_id, doc FROM ticket_comment_json WHERE internal OR private;

-- A message names the ticket it reports on (a status post) or was made into.
DROP VIEW feed_message;
CREATE VIEW feed_message AS
SELECT m.id, 'c' AS scope, m.community_id AS scope_id,
       json_object('id', m.id, 'community_id', m.community_id,
                   'author', json_object(
                       'id', a.id, 'name', a.full_name,
                       'flat', (SELECT p.number FROM ownerships o
                                JOIN premises p ON p.id = o.premises_id
                                JOIN communities c ON c.id = m.community_id
                                WHERE o.person_id = a.id AND p.house_id = c.house_id
                                ORDER BY o.id LIMIT 1),
                       'role', coalesce((SELECT ms.role FROM memberships ms
                                         WHERE ms.community_id = m.community_id AND ms.person_id = a.id),
                                        a.staff_role, 'resident')),
                   'client_key', m.client_key,
                   'body', iif(m.deleted_at IS NULL, m.body, ''),
                   'reply_to', m.reply_to, 'created_at', m.created_at,
                   'edited_at', m.edited_at, 'deleted_at', m.deleted_at,
                   'notice_id', m.notice_id,
                   'ticket_id', coalesce(m.ticket_id, (SELECT t.id FROM tickets t WHERE t.message_id = m.id))) AS payload
FROM messages m JOIN persons a ON a.id = m.author_id;

-- Every ticket again under the new shape and audiences, so each client gets it with new
-- seqs; a client that had a flat ticket under the house gets its removal.
DELETE FROM changes WHERE kind = 'ticket';
INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload)
    SELECT 'ticket', t.id, 'h', t.house_id, 'delete', json_object('id', t.id)
    FROM tickets t WHERE t.place = 'flat' AND t.premises_id IS NOT NULL;
INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload)
    SELECT 'ticket', id, scope, scope_id, 'upsert', payload FROM feed_ticket ORDER BY id;
