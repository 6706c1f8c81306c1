-- What each entity looks like in the change feed: one view per kind giving
-- (id, scope, scope_id, payload). The runtime records a change with
-- `INSERT INTO changes … SELECT … FROM feed_<kind> WHERE id = ?`, and the seed does the
-- same for all rows at once, so the payload shape is defined here exactly once. The Rust
-- wire types in crates/domain deserialize these payloads; a test checks every kind.

CREATE VIEW org_json AS
SELECT o.id,
       json_object('id', o.id, 'name', o.name, 'kind', o.kind, 'ogrn', o.ogrn, 'inn', o.inn,
                   'kpp', o.kpp, 'address', o.address, 'phone', o.phone, 'email', o.email,
                   'working_hours', o.working_hours, 'dispatch_phone', o.dispatch_phone,
                   'bank_details', o.bank_details) AS doc
FROM orgs o;

CREATE VIEW feed_house AS
SELECT h.id, 'h' AS scope, h.id AS scope_id,
       json_object(
           'id', h.id, 'address', h.address, 'district', h.district,
           'fias_guid', h.fias_guid, 'gis_guid', h.gis_guid, 'gis_number', h.gis_number,
           'oktmo', h.oktmo, 'timezone', h.timezone, 'total_area', h.total_area,
           'year_built', h.year_built, 'floors', h.floors,
           'underground_floors', h.underground_floors, 'state', h.state,
           'management_type', h.management_type, 'heritage', json(iif(h.heritage, 'true', 'false')),
           'repair_fund', h.repair_fund, 'flats', h.flats, 'complex', h.complex,
           'window_from', h.window_from, 'window_to', h.window_to,
           'community_id', (SELECT c.id FROM communities c WHERE c.house_id = h.id),
           'entrances', json((SELECT json_group_array(json_object('number', e.number, 'storeys', e.storeys))
                              FROM (SELECT * FROM entrances e WHERE e.house_id = h.id ORDER BY e.number) e)),
           'lifts', json((SELECT json_group_array(json_object('id', l.id, 'entrance', l.entrance,
                                                 'factory_number', l.factory_number, 'kind', l.kind,
                                                 'year_installed', l.year_installed))
                          FROM (SELECT * FROM lifts l WHERE l.house_id = h.id ORDER BY l.id) l)),
           'org', json((SELECT oj.doc FROM management_periods mp JOIN org_json oj ON oj.id = mp.org_id
                        WHERE mp.house_id = h.id AND mp.to_date IS NULL)),
           'managed_since', (SELECT mp.from_date FROM management_periods mp
                             WHERE mp.house_id = h.id AND mp.to_date IS NULL)
       ) AS payload
FROM houses h;

CREATE VIEW feed_community AS
SELECT c.id, 'c' AS scope, c.id AS scope_id,
       json_object('id', c.id, 'kind', c.kind, 'house_id', c.house_id, 'title', c.title,
                   'owner', c.owner, 'admin_org_id', c.admin_org_id,
                   'admin_status', c.admin_status, 'created_at', c.created_at,
                   'house_ids', json((SELECT json_group_array(ch.house_id) FROM community_houses ch
                                      WHERE ch.community_id = c.id))) AS payload
FROM communities c;

CREATE VIEW feed_membership AS
SELECT m.id, 'p' AS scope, m.person_id AS scope_id,
       json_object('id', m.id, 'community_id', m.community_id, 'person_id', m.person_id,
                   'role', m.role, 'joined_at', m.joined_at, 'left_at', m.left_at) AS payload
FROM memberships m;

CREATE VIEW feed_ownership AS
SELECT o.id, 'p' AS scope, o.person_id AS scope_id,
       json_object('id', o.id, 'person_id', o.person_id, 'premises_id', o.premises_id,
                   'house_id', p.house_id, 'premises_number', p.number, 'relation', o.relation,
                   'share_num', o.share_num, 'share_den', o.share_den,
                   'since', o.since, 'until', o.until) AS payload
FROM ownerships o JOIN premises p ON p.id = o.premises_id;

-- The author's flat is the first premises the author holds in the chat's house.
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
                   'edited_at', m.edited_at, 'deleted_at', m.deleted_at) AS payload
FROM messages m JOIN persons a ON a.id = m.author_id;

CREATE VIEW feed_ticket AS
SELECT t.id, 'h' AS scope, t.house_id AS scope_id,
       json_object('id', t.id, 'house_id', t.house_id,
                   'premises_number', (SELECT p.number FROM premises p WHERE p.id = t.premises_id),
                   'author_id', t.author_id,
                   'author_name', (SELECT full_name FROM persons WHERE id = t.author_id),
                   'category', t.category, 'emergency', json(iif(t.emergency, 'true', 'false')),
                   'title', t.title, 'body', t.body, 'status', t.status,
                   'created_at', t.created_at, 'deadline_at', t.deadline_at,
                   'updated_at', t.updated_at,
                   'history', json((SELECT json_group_array(json_object(
                                        'status', e.status, 'actor_id', e.actor_id,
                                        'actor_name', (SELECT full_name FROM persons WHERE id = e.actor_id),
                                        'at', e.at, 'note', e.note))
                                    FROM (SELECT * FROM ticket_events e WHERE e.ticket_id = t.id ORDER BY e.id) e))
       ) AS payload
FROM tickets t;

CREATE VIEW device_json AS
SELECT d.id, d.house_id, d.premises_id,
       json_object('id', d.id, 'house_id', d.house_id, 'premises_id', d.premises_id,
                   'serial', d.serial, 'model', d.model, 'resource', d.resource, 'kind', d.kind,
                   'zones', d.zones, 'installed_on', d.installed_on,
                   'commissioned_on', d.commissioned_on, 'verified_on', d.verified_on,
                   'verification_years', d.verification_years, 'seal', d.seal,
                   'replaced_by', d.replaced_by) AS doc
FROM devices d;

-- Apartment meters go to the flat's holders, collective (ОДПУ) meters to the house.
CREATE VIEW feed_device AS
SELECT id, iif(premises_id IS NULL, 'h', 'f') AS scope, coalesce(premises_id, house_id) AS scope_id,
       doc AS payload
FROM device_json;

CREATE VIEW feed_reading AS
SELECT r.id, iif(d.premises_id IS NULL, 'h', 'f') AS scope, coalesce(d.premises_id, d.house_id) AS scope_id,
       json_object('id', r.id, 'device_id', r.device_id, 'period', r.period, 'taken_on', r.taken_on,
                   't1', r.t1, 't2', r.t2, 't3', r.t3, 'source', r.source,
                   'entered_at', r.entered_at) AS payload
FROM readings r JOIN devices d ON d.id = r.device_id;

CREATE VIEW feed_account AS
SELECT a.id, 'f' AS scope, a.premises_id AS scope_id,
       json_object('id', a.id, 'number', a.number, 'els', a.els, 'premises_id', a.premises_id,
                   'house_id', p.house_id, 'premises_number', p.number,
                   'persons_registered', a.persons_registered,
                   'total_area', a.total_area, 'living_area', a.living_area) AS payload
FROM accounts a JOIN premises p ON p.id = a.premises_id;

CREATE VIEW feed_bill AS
SELECT b.id, 'f' AS scope, a.premises_id AS scope_id,
       json_object(
           'id', b.id, 'account_id', b.account_id, 'period', b.period, 'issued_on', b.issued_on,
           'payer', json(b.payer),
           'provider', json((SELECT oj.doc FROM org_json oj WHERE oj.id = b.org_id)),
           'readings', json(b.readings_json),
           'charges', json((SELECT json_group_array(json_object(
                                'service', l.service, 'unit', l.unit,
                                'volume', l.volume, 'volume_method', l.volume_method,
                                'common_volume', l.common_volume, 'common_method', l.common_method,
                                'rate', l.rate, 'accrued', l.accrued,
                                'recalculation', l.recalculation, 'discount', l.discount,
                                'factor', l.factor, 'payable', l.payable))
                            FROM (SELECT * FROM bill_lines l WHERE l.bill_id = b.id ORDER BY l.id) l)),
           'reference', json(b.reference_json),
           'instalments', json((SELECT json_group_array(json_object(
                                    'service', i.service, 'amount', i.amount,
                                    'interest', i.interest, 'remaining', i.remaining))
                                FROM bill_instalments i WHERE i.bill_id = b.id)),
           'recalculations', json((SELECT json_group_array(json_object(
                                       'service', r.service, 'reason', r.reason, 'amount', r.amount))
                                   FROM bill_recalculations r WHERE r.bill_id = b.id)),
           'debt', b.debt, 'paid', b.paid, 'penalties', b.penalties, 'total', b.total
       ) AS payload
FROM bills b JOIN accounts a ON a.id = b.account_id;

CREATE VIEW feed_notice AS
SELECT n.id, 'h' AS scope, nh.house_id AS scope_id,
       json_object('id', n.id, 'house_id', nh.house_id, 'kind', n.kind, 'outage_type', n.outage_type, 'service', n.service,
                   'title', n.title, 'reason', n.reason, 'starts_at', n.starts_at,
                   'ends_at', n.ends_at, 'org_id', n.org_id, 'created_at', n.created_at,
                   'house_count', (SELECT count(*) FROM notice_houses x WHERE x.notice_id = n.id)) AS payload
FROM notices n JOIN notice_houses nh ON nh.notice_id = n.id;

CREATE VIEW feed_repair_plan AS
SELECT r.id, 'h' AS scope, r.house_id AS scope_id,
       json_object('id', r.id, 'house_id', r.house_id, 'work', r.work, 'year_from', r.year_from,
                   'year_to', r.year_to, 'status', r.status) AS payload
FROM repair_plans r;
