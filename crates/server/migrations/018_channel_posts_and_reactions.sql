-- A microdistrict channel's post may be for some of its houses: only their residents and
-- staff (and its author and the Inspection) read it. No row here: the whole community.
CREATE TABLE message_houses (
    message_id INTEGER NOT NULL REFERENCES messages (id),
    house_id   INTEGER NOT NULL REFERENCES houses (id),
    PRIMARY KEY (message_id, house_id)
) STRICT, WITHOUT ROWID;

-- Reactions to messages: one per person and message, replaced by the next.
-- AUTOINCREMENT: an id taken back is never given to another reaction, whose upsert a client
-- that missed the tombstone would otherwise read as the old one changed.
CREATE TABLE reactions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id INTEGER NOT NULL REFERENCES messages (id),
    person_id  INTEGER NOT NULL REFERENCES persons (id),
    emoji      TEXT NOT NULL,
    at         TEXT NOT NULL,
    UNIQUE (message_id, person_id)
) STRICT;

-- A message's audiences: its community, or, for a post addressed to some houses, each of
-- those houses and its author.
CREATE VIEW message_audience AS
SELECT m.id AS message_id, 'c' AS scope, m.community_id AS scope_id FROM messages m
WHERE NOT EXISTS (SELECT 1 FROM message_houses t WHERE t.message_id = m.id)
UNION ALL
SELECT t.message_id, 'h', t.house_id FROM message_houses t
UNION ALL
SELECT m.id, 'p', m.author_id FROM messages m
WHERE m.id IN (SELECT message_id FROM message_houses);

DROP VIEW feed_message;
CREATE VIEW message_json AS
SELECT m.id, m.community_id, m.author_id,
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
                   'pinned_at', m.pinned_at, 'deleted_reason', m.deleted_reason,
                   'houses', json((SELECT json_group_array(t.house_id) FROM message_houses t
                                   WHERE t.message_id = m.id))) AS doc
FROM messages m JOIN persons a ON a.id = m.author_id;

-- Written as three branches (not a join with message_audience) so that a lookup by id
-- reaches each branch's index.
CREATE VIEW feed_message AS
SELECT j.id, 'c' AS scope, j.community_id AS scope_id, j.doc AS payload FROM message_json j
WHERE NOT EXISTS (SELECT 1 FROM message_houses t WHERE t.message_id = j.id)
UNION ALL
SELECT j.id, 'h', t.house_id, j.doc FROM message_houses t JOIN message_json j ON j.id = t.message_id
UNION ALL
SELECT j.id, 'p', j.author_id, j.doc FROM message_json j
WHERE j.id IN (SELECT message_id FROM message_houses);

-- A reaction reaches whoever reads its message.
CREATE VIEW feed_reaction AS
SELECT r.id, au.scope, au.scope_id,
       json_object('id', r.id, 'message_id', r.message_id, 'community_id', m.community_id,
                   'person_id', r.person_id, 'emoji', r.emoji, 'at', r.at) AS payload
FROM reactions r
JOIN messages m ON m.id = r.message_id
JOIN message_audience au ON au.message_id = r.message_id;
