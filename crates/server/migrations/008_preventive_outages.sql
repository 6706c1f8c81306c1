-- The yearly preventive shutdown of hot water (up to 14 days, regulation 354, appendix 1,
-- item 5) is announced as an outage but is no breach of the limits: notices say which it is.
ALTER TABLE notices ADD COLUMN preventive INTEGER NOT NULL DEFAULT 0 CHECK (preventive IN (0, 1));

DROP VIEW feed_notice;
CREATE VIEW feed_notice AS
SELECT n.id, 'h' AS scope, nh.house_id AS scope_id,
       json_object('id', n.id, 'house_id', nh.house_id, 'kind', n.kind, 'outage_type', n.outage_type, 'service', n.service,
                   'title', n.title, 'reason', n.reason, 'starts_at', n.starts_at,
                   'ends_at', n.ends_at, 'org_id', n.org_id, 'created_at', n.created_at,
                   'house_count', (SELECT count(*) FROM notice_houses x WHERE x.notice_id = n.id),
                   'preventive', json(iif(n.preventive, 'true', 'false'))) AS payload
FROM notices n JOIN notice_houses nh ON nh.notice_id = n.id;
