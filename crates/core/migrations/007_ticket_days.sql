-- For the desk's period filter and its reports (opened, closed and overdue per house and
-- category over a period, the median time to close): when each ticket was closed, and the
-- days it was registered and closed on in its house's local time (store_ticket computes them
-- with the house's time zone; rows already here take the day their own times are written in).
ALTER TABLE ticket_index ADD COLUMN closed_s INTEGER;
ALTER TABLE ticket_index ADD COLUMN created_day TEXT NOT NULL DEFAULT '';
ALTER TABLE ticket_index ADD COLUMN closed_day TEXT;
UPDATE ticket_index SET
    closed_s = (SELECT CAST(strftime('%s', json_extract(p.payload, '$.closed_at')) AS INTEGER)
                FROM tickets p WHERE p.id = ticket_index.id),
    created_day = coalesce((SELECT substr(json_extract(p.payload, '$.created_at'), 1, 10)
                            FROM tickets p WHERE p.id = ticket_index.id), ''),
    closed_day = (SELECT substr(json_extract(p.payload, '$.closed_at'), 1, 10)
                  FROM tickets p WHERE p.id = ticket_index.id);
CREATE INDEX ticket_index_created_day ON ticket_index (created_day);
CREATE INDEX ticket_index_closed_day ON ticket_index (closed_day) WHERE closed_day IS NOT NULL;
