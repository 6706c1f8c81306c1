-- A dispatcher posts outage notices: each with the poster (author_id) and the client's idempotency key
-- (one notice per key and person), and the request as sent, to tell a replay from a reuse.
ALTER TABLE notices ADD COLUMN client_key TEXT;
ALTER TABLE notices ADD COLUMN request TEXT;
CREATE UNIQUE INDEX notices_author_key ON notices (author_id, client_key) WHERE client_key IS NOT NULL;

-- A posted notice is told in each house's chat by a message that names it.
ALTER TABLE messages ADD COLUMN notice_id INTEGER REFERENCES notices (id);

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
                   'notice_id', m.notice_id) AS payload
FROM messages m JOIN persons a ON a.id = m.author_id;
