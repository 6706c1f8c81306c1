-- Polls in a house chat: one vote per premises, or weighted by its area; results visible
-- while it runs and final at closing. Not a general meeting of owners.

CREATE TABLE polls (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    question     TEXT NOT NULL,
    -- The options' texts, a JSON array in order.
    options      TEXT NOT NULL,
    basis        TEXT NOT NULL CHECK (basis IN ('per_premises', 'by_area')),
    opened_by    INTEGER NOT NULL REFERENCES persons (id),
    created_at   TEXT NOT NULL,
    closes_at    TEXT NOT NULL,
    client_key   TEXT NOT NULL,
    request      TEXT NOT NULL,
    UNIQUE (opened_by, client_key)
) STRICT;
CREATE INDEX polls_community ON polls (community_id, id);

-- One vote per premises, cast by one of its holders (who may change it until closing).
CREATE TABLE poll_votes (
    poll_id     INTEGER NOT NULL REFERENCES polls (id),
    premises_id INTEGER NOT NULL REFERENCES premises (id),
    person_id   INTEGER NOT NULL REFERENCES persons (id),
    option      INTEGER NOT NULL,
    area        INTEGER NOT NULL,
    at          TEXT NOT NULL,
    client_key  TEXT NOT NULL,
    PRIMARY KEY (poll_id, premises_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX poll_votes_person ON poll_votes (person_id, client_key);
-- The tally counts and sums each option's votes.
CREATE INDEX poll_votes_option ON poll_votes (poll_id, option, area);

CREATE VIEW feed_poll AS
SELECT p.id, 'c' AS scope, p.community_id AS scope_id,
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
                   'client_key', p.client_key) AS payload
FROM polls p;
