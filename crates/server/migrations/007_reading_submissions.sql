-- Readings submitted through the API: who entered each, under the client's idempotency key,
-- and corrections. A correction inside the window is a new row that names the reading it
-- replaces, so the history keeps both (the old one-per-period constraint goes).
CREATE TABLE readings_new (
    id         INTEGER PRIMARY KEY,
    device_id  INTEGER NOT NULL REFERENCES devices (id),
    period     TEXT NOT NULL,
    taken_on   TEXT NOT NULL,
    t1         TEXT NOT NULL,
    t2         TEXT,
    t3         TEXT,
    source     TEXT NOT NULL CHECK (source IN ('resident', 'organisation', 'remote')),
    entered_at TEXT NOT NULL,
    author_id  INTEGER REFERENCES persons (id),
    client_key TEXT,
    replaces   INTEGER REFERENCES readings_new (id),
    UNIQUE (author_id, client_key)
) STRICT;
INSERT INTO readings_new (id, device_id, period, taken_on, t1, t2, t3, source, entered_at)
SELECT id, device_id, period, taken_on, t1, t2, t3, source, entered_at FROM readings;
DROP VIEW feed_reading;
DROP TABLE readings;
ALTER TABLE readings_new RENAME TO readings;
CREATE INDEX readings_device ON readings (device_id, period, id);

CREATE VIEW feed_reading AS
SELECT r.id, iif(d.premises_id IS NULL, 'h', 'f') AS scope, coalesce(d.premises_id, d.house_id) AS scope_id,
       json_object('id', r.id, 'device_id', r.device_id, 'period', r.period, 'taken_on', r.taken_on,
                   't1', r.t1, 't2', r.t2, 't3', r.t3, 'source', r.source,
                   'entered_at', r.entered_at, 'replaces', r.replaces) AS payload
FROM readings r JOIN devices d ON d.id = r.device_id;
