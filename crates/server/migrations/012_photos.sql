-- A ticket's photos. A photo is stored once, by the SHA-256 of its bytes after the metadata
-- was stripped (files under the data directory's blobs/, with a thumbnail beside each); an
-- upload is resumable: its bytes so far wait in uploads/ until the declared length arrives.
CREATE TABLE photos (
    id          TEXT PRIMARY KEY CHECK (length(id) = 64),
    type        TEXT NOT NULL CHECK (type IN ('jpeg', 'png', 'webp')),
    bytes       INTEGER NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES persons (id),
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE uploads (
    owner_id   INTEGER NOT NULL REFERENCES persons (id),
    key        TEXT NOT NULL,
    total      INTEGER NOT NULL,
    received   INTEGER NOT NULL DEFAULT 0,
    photo_id   TEXT REFERENCES photos (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (owner_id, key)
) STRICT;

CREATE TABLE ticket_photos (
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    photo_id  TEXT NOT NULL REFERENCES photos (id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, photo_id)
) STRICT;
CREATE INDEX ticket_photos_photo ON ticket_photos (photo_id);

-- The ticket's document gains its photos (views cannot be altered in place).
DROP VIEW feed_ticket;
DROP VIEW ticket_json;
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
                   'photos', json((SELECT json_group_array(json_object(
                                        'id', ph.id, 'type', ph.type, 'bytes', ph.bytes,
                                        'width', ph.width, 'height', ph.height))
                                   FROM (SELECT p.* FROM ticket_photos tp JOIN photos p ON p.id = tp.photo_id
                                         WHERE tp.ticket_id = t.id ORDER BY tp.position) ph)),
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

