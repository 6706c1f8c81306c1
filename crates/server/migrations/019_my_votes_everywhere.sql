-- A poll's copy for each person who voted carries their choice, so that every device of
-- theirs shows it while they are a member; the community's copy carries only the tally.
DROP VIEW feed_poll;
CREATE VIEW poll_json AS
SELECT p.id, p.community_id,
       json_object('id', p.id, 'community_id', p.community_id, 'question', p.question,
                   'options', json((SELECT json_group_array(json_object(
                                        'text', o.value,
                                        'votes', (SELECT count(*) FROM poll_votes v WHERE v.poll_id = p.id AND v.option = o.key),
                                        'area', (SELECT coalesce(sum(v.area), 0) FROM poll_votes v
                                                 WHERE v.poll_id = p.id AND v.option = o.key)))
                                    FROM json_each(p.options) o)),
                   'basis', p.basis,
                   'opened_by', (SELECT full_name FROM persons WHERE id = p.opened_by),
                   'created_at', p.created_at, 'closes_at', p.closes_at,
                   'voted', (SELECT count(*) FROM poll_votes v WHERE v.poll_id = p.id),
                   'premises', (SELECT count(*) FROM premises pr JOIN communities c ON c.house_id = pr.house_id
                                WHERE c.id = p.community_id),
                   'total_area', (SELECT coalesce(sum(pr.total_area), 0) FROM premises pr
                                  JOIN communities c ON c.house_id = pr.house_id WHERE c.id = p.community_id),
                   'client_key', p.client_key) AS doc
FROM polls p;

CREATE VIEW feed_poll AS
SELECT j.id, 'c' AS scope, j.community_id AS scope_id, j.doc AS payload FROM poll_json j
UNION ALL
SELECT j.id, 'p', v.person_id,
       json_set(j.doc, '$.my_option', (SELECT x.option FROM poll_votes x WHERE x.poll_id = j.id
                                        AND x.person_id = v.person_id ORDER BY x.at DESC, x.premises_id LIMIT 1))
FROM poll_json j JOIN (SELECT DISTINCT poll_id, person_id FROM poll_votes) v ON v.poll_id = j.id
-- Only a member still in the chat: one who left or was banned hears no more of its polls.
JOIN memberships m ON m.community_id = j.community_id AND m.person_id = v.person_id AND m.left_at IS NULL;
