-- A house under 16 flats has no official chat; a verified owner or its managing
-- organisation may open one, marked unofficial with who opened it. The opener moderates
-- (admin rights granted to them) until the Inspection grants them to someone else.
ALTER TABLE communities ADD COLUMN official INTEGER NOT NULL DEFAULT 1 CHECK (official IN (0, 1));
ALTER TABLE communities ADD COLUMN opened_by INTEGER REFERENCES persons (id);

DROP VIEW feed_community;
CREATE VIEW feed_community AS
SELECT c.id, 'c' AS scope, c.id AS scope_id,
       json_object('id', c.id, 'kind', c.kind, 'house_id', c.house_id, 'title', c.title,
                   'owner', c.owner, 'admin_org_id', c.admin_org_id,
                   'admin_status', c.admin_status, 'created_at', c.created_at,
                   'house_ids', json((SELECT json_group_array(ch.house_id) FROM community_houses ch
                                      WHERE ch.community_id = c.id)),
                   'slow_mode_s', c.slow_mode_s,
                   'official', json(iif(c.official, 'true', 'false')),
                   'opened_by', (SELECT full_name FROM persons WHERE id = c.opened_by)) AS payload
FROM communities c;
