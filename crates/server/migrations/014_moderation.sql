-- Moderation the house can trust: pins, deletions with a reason, mutes, bans, slow mode,
-- complaints and a log every member reads and may appeal to the Inspection.

ALTER TABLE messages ADD COLUMN pinned_at TEXT;
-- Deleted by a moderator for this reason (an author's own deletion has none).
ALTER TABLE messages ADD COLUMN deleted_reason TEXT;
CREATE INDEX messages_pinned ON messages (community_id, pinned_at) WHERE pinned_at IS NOT NULL;
-- Slow mode asks for a member's newest message in a community.
CREATE INDEX messages_author ON messages (author_id, community_id, id);

ALTER TABLE communities ADD COLUMN slow_mode_s INTEGER NOT NULL DEFAULT 0 CHECK (slow_mode_s BETWEEN 0 AND 3600);

ALTER TABLE memberships ADD COLUMN muted_until TEXT;
-- A ban ends the membership (left_at) and bars rejoining until the Inspection lifts it.
ALTER TABLE memberships ADD COLUMN banned INTEGER NOT NULL DEFAULT 0 CHECK (banned IN (0, 1));

CREATE TABLE mod_log (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    action       TEXT NOT NULL CHECK (action IN ('pin', 'unpin', 'delete', 'mute', 'unmute', 'ban', 'unban',
                                                 'slow_mode', 'dismiss')),
    actor_id     INTEGER NOT NULL REFERENCES persons (id),
    actor_role   TEXT NOT NULL CHECK (actor_role IN ('resident', 'chair', 'dispatcher', 'inspector')),
    at           TEXT NOT NULL,
    reason       TEXT,
    message_id   INTEGER REFERENCES messages (id),
    person_id    INTEGER REFERENCES persons (id),
    until        TEXT,
    seconds      INTEGER,
    -- The words a deletion removed: for the community's moderators and the Inspection only.
    removed_text TEXT,
    appeal_by    INTEGER REFERENCES persons (id),
    appeal_text  TEXT,
    appeal_at    TEXT,
    answer_by    INTEGER REFERENCES persons (id),
    answer_text  TEXT,
    answer_at    TEXT
) STRICT;
CREATE INDEX mod_log_community ON mod_log (community_id, id);

CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    message_id   INTEGER NOT NULL REFERENCES messages (id),
    reporter_id  INTEGER NOT NULL REFERENCES persons (id),
    reason       TEXT NOT NULL,
    -- The text as it was reported: an author's later edit does not hide it from moderators.
    excerpt      TEXT NOT NULL,
    at           TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'deleted', 'dismissed')),
    resolved_by  INTEGER REFERENCES persons (id),
    resolved_at  TEXT,
    client_key   TEXT NOT NULL,
    UNIQUE (reporter_id, client_key),
    UNIQUE (message_id, reporter_id)
) STRICT;
CREATE INDEX reports_queue ON reports (community_id, state, id);

-- A new audience, 'm': a community's moderators (its chairs where the organisation holds
-- admin rights) and the Inspection. The change log is rebuilt for the wider CHECK, with
-- every seq kept and the AUTOINCREMENT high-water mark restored.
CREATE TABLE changes_high_water AS SELECT seq FROM sqlite_sequence WHERE name = 'changes';
CREATE TABLE changes_next (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    kind      TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    scope     TEXT NOT NULL CHECK (scope IN ('c', 'h', 'f', 'p', 's', 'm')),
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
CREATE TABLE changes_counter AS
    SELECT max(coalesce((SELECT seq FROM changes_high_water), 0), coalesce((SELECT max(seq) FROM changes), 0)) AS seq;
DELETE FROM sqlite_sequence WHERE name = 'changes';
INSERT INTO sqlite_sequence (name, seq) SELECT 'changes', seq FROM changes_counter WHERE seq > 0;
DROP TABLE changes_counter;
DROP TABLE changes_high_water;

DROP VIEW feed_community;
CREATE VIEW feed_community AS
SELECT c.id, 'c' AS scope, c.id AS scope_id,
       json_object('id', c.id, 'kind', c.kind, 'house_id', c.house_id, 'title', c.title,
                   'owner', c.owner, 'admin_org_id', c.admin_org_id,
                   'admin_status', c.admin_status, 'created_at', c.created_at,
                   'house_ids', json((SELECT json_group_array(ch.house_id) FROM community_houses ch
                                      WHERE ch.community_id = c.id)),
                   'slow_mode_s', c.slow_mode_s) AS payload
FROM communities c;

DROP VIEW feed_membership;
CREATE VIEW feed_membership AS
SELECT m.id, 'p' AS scope, m.person_id AS scope_id,
       json_object('id', m.id, 'community_id', m.community_id, 'person_id', m.person_id,
                   'role', m.role, 'joined_at', m.joined_at, 'left_at', m.left_at,
                   'muted_until', m.muted_until) AS payload
FROM memberships m;

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
                   'ticket_id', coalesce(m.ticket_id, (SELECT t.id FROM tickets t WHERE t.message_id = m.id)),
                   'pinned_at', m.pinned_at, 'deleted_reason', m.deleted_reason) AS payload
FROM messages m JOIN persons a ON a.id = m.author_id;

-- Every member reads the log; the removed words go to the moderators' audience only.
CREATE VIEW mod_entry_json AS
SELECT l.id, l.community_id, l.removed_text,
       json_object('id', l.id, 'community_id', l.community_id, 'action', l.action,
                   'actor_id', l.actor_id, 'actor_name', (SELECT full_name FROM persons WHERE id = l.actor_id),
                   'actor_role', l.actor_role, 'at', l.at, 'reason', l.reason,
                   'message_id', l.message_id, 'person_id', l.person_id,
                   'person_name', (SELECT full_name FROM persons WHERE id = l.person_id),
                   'until', l.until, 'seconds', l.seconds,
                   'appeal', iif(l.appeal_by IS NULL, NULL, json_object(
                       'by_id', l.appeal_by, 'by_name', (SELECT full_name FROM persons WHERE id = l.appeal_by),
                       'text', l.appeal_text, 'at', l.appeal_at, 'answer', l.answer_text,
                       'answered_by', (SELECT full_name FROM persons WHERE id = l.answer_by),
                       'answered_at', l.answer_at))) AS doc
FROM mod_log l;

CREATE VIEW feed_mod_entry AS
SELECT id, 'c' AS scope, community_id AS scope_id, json_insert(doc, '$.removed_text', NULL) AS payload FROM mod_entry_json
UNION ALL
SELECT id, 'm', community_id, json_insert(doc, '$.removed_text', removed_text) FROM mod_entry_json
WHERE removed_text IS NOT NULL;

CREATE VIEW report_json AS
SELECT r.id, r.community_id, r.reporter_id,
       json_object('id', r.id, 'community_id', r.community_id, 'message_id', r.message_id,
                   'author_name', (SELECT a.full_name FROM messages m JOIN persons a ON a.id = m.author_id
                                   WHERE m.id = r.message_id),
                   'excerpt', r.excerpt, 'reporter_id', r.reporter_id,
                   'reporter_name', (SELECT full_name FROM persons WHERE id = r.reporter_id),
                   'reason', r.reason, 'at', r.at, 'state', r.state,
                   'resolved_by', (SELECT full_name FROM persons WHERE id = r.resolved_by),
                   'resolved_at', r.resolved_at, 'client_key', r.client_key) AS doc
FROM reports r;

-- The reporter keeps the words they reported only while the complaint is open: once a
-- moderator deleted the message, only moderators read them.
CREATE VIEW feed_report AS
SELECT id, 'm' AS scope, community_id AS scope_id, doc AS payload FROM report_json
UNION ALL
SELECT id, 'p', reporter_id, iif(json_extract(doc, '$.state') = 'open', doc, json_set(doc, '$.excerpt', ''))
FROM report_json;
