-- Tickets, meters, bills (ЕПД), notices and capital-repair plans.

CREATE TABLE tickets (
    id          INTEGER PRIMARY KEY,
    house_id    INTEGER NOT NULL REFERENCES houses (id),
    premises_id INTEGER REFERENCES premises (id),
    author_id   INTEGER NOT NULL REFERENCES persons (id),
    category    TEXT NOT NULL,
    emergency   INTEGER NOT NULL CHECK (emergency IN (0, 1)),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('new', 'accepted', 'in_work', 'done', 'rejected', 'withdrawn')),
    created_at  TEXT NOT NULL,
    deadline_at TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX tickets_house ON tickets (house_id, status);

-- Every status change of a ticket, with who and when.
CREATE TABLE ticket_events (
    id        INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    status    TEXT NOT NULL,
    actor_id  INTEGER NOT NULL REFERENCES persons (id),
    at        TEXT NOT NULL,
    note      TEXT NOT NULL
) STRICT;
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id);

-- Deadlines per ticket kind: federal defaults, overridable per region (data, not code).
CREATE TABLE deadline_rules (
    region          TEXT NOT NULL,
    category        TEXT NOT NULL,
    emergency       INTEGER NOT NULL,
    minutes         INTEGER NOT NULL,
    summer_minutes  INTEGER,
    -- Counting only inside these hours (e.g. garbage chute: 08:00–23:00).
    counted_from    INTEGER,
    counted_to      INTEGER,
    basis           TEXT NOT NULL,
    PRIMARY KEY (region, category, emergency)
) STRICT;

CREATE TABLE devices (
    id                 INTEGER PRIMARY KEY,
    house_id           INTEGER NOT NULL REFERENCES houses (id),
    premises_id        INTEGER REFERENCES premises (id),
    serial             TEXT NOT NULL,
    model              TEXT NOT NULL,
    resource           TEXT NOT NULL CHECK (resource IN ('cold_water', 'hot_water', 'electricity', 'heating', 'gas')),
    kind               TEXT NOT NULL CHECK (kind IN ('apartment', 'collective', 'room')),
    zones              INTEGER NOT NULL CHECK (zones IN (1, 2, 3)),
    installed_on       TEXT NOT NULL,
    commissioned_on    TEXT,
    verified_on        TEXT NOT NULL,
    verification_years INTEGER NOT NULL,
    seal               TEXT NOT NULL,
    replaced_by        INTEGER REFERENCES devices (id)
) STRICT;
CREATE INDEX devices_premises ON devices (premises_id);

-- Values are decimal strings as in the ГИС ЖКХ schema (15 integer, 7 fraction digits).
CREATE TABLE readings (
    id         INTEGER PRIMARY KEY,
    device_id  INTEGER NOT NULL REFERENCES devices (id),
    period     TEXT NOT NULL,
    taken_on   TEXT NOT NULL,
    t1         TEXT NOT NULL,
    t2         TEXT,
    t3         TEXT,
    source     TEXT NOT NULL CHECK (source IN ('resident', 'organisation', 'remote')),
    entered_at TEXT NOT NULL,
    UNIQUE (device_id, period)
) STRICT;

-- The unified payment document. Sections 1, 2 and 4 are read from the registry and kept
-- as JSON snapshots as printed; charges (3), instalments (5) and recalculations (6)
-- are rows so that sums can be checked.
CREATE TABLE bills (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    org_id          INTEGER REFERENCES orgs (id),
    period          TEXT NOT NULL,
    payer           TEXT NOT NULL,
    readings_json   TEXT NOT NULL,
    reference_json  TEXT NOT NULL,
    debt            INTEGER NOT NULL,
    paid            INTEGER NOT NULL,
    penalties       INTEGER NOT NULL,
    total           INTEGER NOT NULL,
    issued_on       TEXT NOT NULL,
    UNIQUE (account_id, period)
) STRICT;

CREATE TABLE bill_lines (
    id                INTEGER PRIMARY KEY,
    bill_id           INTEGER NOT NULL REFERENCES bills (id),
    service           TEXT NOT NULL,
    unit              TEXT NOT NULL,
    volume            TEXT NOT NULL,
    volume_method     TEXT NOT NULL CHECK (volume_method IN ('meter', 'average', 'norm', 'area', 'none')),
    common_volume     TEXT NOT NULL,
    common_method     TEXT NOT NULL CHECK (common_method IN ('meter', 'average', 'norm', 'area', 'none')),
    rate              INTEGER NOT NULL,
    accrued           INTEGER NOT NULL,
    recalculation     INTEGER NOT NULL,
    discount          INTEGER NOT NULL,
    factor            TEXT NOT NULL,
    payable           INTEGER NOT NULL
) STRICT;
CREATE INDEX bill_lines_bill ON bill_lines (bill_id);

CREATE TABLE bill_instalments (
    id        INTEGER PRIMARY KEY,
    bill_id   INTEGER NOT NULL REFERENCES bills (id),
    service   TEXT NOT NULL,
    amount    INTEGER NOT NULL,
    interest  INTEGER NOT NULL,
    remaining INTEGER NOT NULL
) STRICT;
CREATE INDEX bill_instalments_bill ON bill_instalments (bill_id);

CREATE TABLE bill_recalculations (
    id      INTEGER PRIMARY KEY,
    bill_id INTEGER NOT NULL REFERENCES bills (id),
    service TEXT NOT NULL,
    reason  TEXT NOT NULL,
    amount  INTEGER NOT NULL
) STRICT;
CREATE INDEX bill_recalculations_bill ON bill_recalculations (bill_id);

CREATE TABLE notices (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('outage', 'info')),
    outage_type  TEXT CHECK (outage_type IN ('pause', 'limitation', 'suspension')),
    -- ГИС ЖКХ service code: 1 cold water … 7 solid waste.
    service      INTEGER CHECK (service BETWEEN 1 AND 7),
    title        TEXT NOT NULL,
    reason       TEXT NOT NULL,
    starts_at    TEXT,
    ends_at      TEXT,
    org_id       INTEGER REFERENCES orgs (id),
    author_id    INTEGER REFERENCES persons (id),
    created_at   TEXT NOT NULL
) STRICT;

CREATE TABLE notice_houses (
    notice_id INTEGER NOT NULL REFERENCES notices (id),
    house_id  INTEGER NOT NULL REFERENCES houses (id),
    PRIMARY KEY (notice_id, house_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX notice_houses_house ON notice_houses (house_id);

CREATE TABLE repair_plans (
    id        INTEGER PRIMARY KEY,
    house_id  INTEGER NOT NULL REFERENCES houses (id),
    work      TEXT NOT NULL,
    year_from INTEGER NOT NULL,
    year_to   INTEGER NOT NULL,
    status    TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'postponed'))
) STRICT;
CREATE INDEX repair_plans_house ON repair_plans (house_id);
