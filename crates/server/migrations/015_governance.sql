-- Governance by the Inspection: applications for a community's admin rights, decided with
-- a reason. (A transfer of a house uses management_periods, which the registry has.)

CREATE TABLE admin_applications (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    -- The organisation that would hold the rights; NULL for a house under direct management.
    org_id       INTEGER REFERENCES orgs (id),
    -- Who applied: the organisation's staff or a chair; NULL when the organisation sent its
    -- data through the registry.
    applicant_id INTEGER REFERENCES persons (id),
    details      TEXT NOT NULL,
    at           TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'granted', 'refused')),
    decided_by   INTEGER REFERENCES persons (id),
    decided_at   TEXT,
    reason       TEXT
) STRICT;
CREATE INDEX admin_applications_queue ON admin_applications (state, id);
CREATE UNIQUE INDEX admin_applications_one_open ON admin_applications (community_id) WHERE state = 'open';

-- The house's staff (its managing organisation and the Inspection) and the applicant see it.
CREATE VIEW application_json AS
SELECT a.id, c.house_id, a.applicant_id,
       json_object('id', a.id, 'community_id', a.community_id, 'title', c.title, 'house_id', c.house_id,
                   'address', h.address, 'org_id', a.org_id, 'org_name', o.name, 'ogrn', o.ogrn, 'inn', o.inn,
                   'applicant_id', a.applicant_id,
                   'applicant_name', (SELECT full_name FROM persons WHERE id = a.applicant_id),
                   'details', a.details, 'at', a.at, 'state', a.state,
                   'decided_by', (SELECT full_name FROM persons WHERE id = a.decided_by),
                   'decided_at', a.decided_at, 'reason', a.reason) AS doc
FROM admin_applications a JOIN communities c ON c.id = a.community_id JOIN houses h ON h.id = c.house_id
LEFT JOIN orgs o ON o.id = a.org_id;

CREATE VIEW feed_admin_application AS
SELECT id, 's' AS scope, house_id AS scope_id, doc AS payload FROM application_json
UNION ALL
SELECT id, 'p', applicant_id, doc FROM application_json
WHERE applicant_id IS NOT NULL
  AND applicant_id NOT IN (SELECT p.id FROM persons p WHERE p.staff_role IS NOT NULL);

-- A transfer and an application look up an organisation's staff.
CREATE INDEX persons_org ON persons (org_id) WHERE org_id IS NOT NULL;
