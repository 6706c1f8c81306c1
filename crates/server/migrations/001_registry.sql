-- The registry (ГИС ЖКХ house management): organisations, houses and their parts,
-- management periods, persons, ownership and personal accounts.
-- Areas are kept in hundredths of a square metre, money in kopecks: never floats.

CREATE TABLE orgs (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('uk', 'tszh', 'zhsk', 'temporary')),
    ogrn           TEXT NOT NULL CHECK (length(ogrn) = 13),
    inn            TEXT NOT NULL CHECK (length(inn) = 10),
    kpp            TEXT NOT NULL,
    address        TEXT NOT NULL,
    phone          TEXT NOT NULL,
    email          TEXT NOT NULL,
    working_hours  TEXT NOT NULL,
    dispatch_phone TEXT NOT NULL,
    bank_details   TEXT NOT NULL
) STRICT;

CREATE TABLE houses (
    id                 INTEGER PRIMARY KEY,
    fias_guid          TEXT NOT NULL UNIQUE,
    gis_guid           TEXT NOT NULL UNIQUE,
    gis_number         TEXT NOT NULL UNIQUE,
    address            TEXT NOT NULL,
    district           TEXT NOT NULL,
    oktmo              TEXT NOT NULL,
    timezone           TEXT NOT NULL,
    total_area         INTEGER NOT NULL,
    year_built         INTEGER NOT NULL,
    floors             INTEGER NOT NULL,
    underground_floors INTEGER NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('good', 'dilapidated', 'emergency')),
    management_type    TEXT NOT NULL CHECK (management_type IN ('uk', 'tszh', 'zhsk', 'direct')),
    heritage           INTEGER NOT NULL CHECK (heritage IN (0, 1)),
    repair_fund        TEXT NOT NULL CHECK (repair_fund IN ('regional_operator', 'special_account')),
    flats              INTEGER NOT NULL,
    complex            TEXT,
    -- The meter-reading submission window: days of the month, inclusive.
    window_from        INTEGER NOT NULL CHECK (window_from BETWEEN 1 AND 28),
    window_to          INTEGER NOT NULL CHECK (window_to BETWEEN window_from AND 31)
) STRICT;

CREATE TABLE entrances (
    house_id INTEGER NOT NULL REFERENCES houses (id),
    number   INTEGER NOT NULL,
    storeys  INTEGER NOT NULL,
    PRIMARY KEY (house_id, number)
) STRICT, WITHOUT ROWID;

CREATE TABLE premises (
    id          INTEGER PRIMARY KEY,
    house_id    INTEGER NOT NULL REFERENCES houses (id),
    number      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('flat', 'nonresidential')),
    entrance    INTEGER NOT NULL,
    floor       INTEGER NOT NULL,
    total_area  INTEGER NOT NULL,
    living_area INTEGER NOT NULL
) STRICT;
CREATE INDEX premises_house ON premises (house_id);

CREATE TABLE lifts (
    id             INTEGER PRIMARY KEY,
    house_id       INTEGER NOT NULL REFERENCES houses (id),
    entrance       INTEGER NOT NULL,
    factory_number TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('passenger', 'freight')),
    year_installed INTEGER NOT NULL
) STRICT;
CREATE INDEX lifts_house ON lifts (house_id);

-- A house managed directly by its owners has a period with no organisation.
CREATE TABLE management_periods (
    id        INTEGER PRIMARY KEY,
    house_id  INTEGER NOT NULL REFERENCES houses (id),
    org_id    INTEGER REFERENCES orgs (id),
    from_date TEXT NOT NULL,
    to_date   TEXT
) STRICT;
CREATE INDEX management_periods_house ON management_periods (house_id);
CREATE INDEX management_periods_org ON management_periods (org_id) WHERE to_date IS NULL;

CREATE TABLE persons (
    id         INTEGER PRIMARY KEY,
    oid        TEXT NOT NULL UNIQUE,
    demo_key   TEXT UNIQUE,
    full_name  TEXT NOT NULL,
    trusted    INTEGER NOT NULL CHECK (trusted IN (0, 1)),
    -- Staff of an organisation or of the Inspection; NULL for residents.
    staff_role TEXT CHECK (staff_role IN ('dispatcher', 'inspector')),
    org_id     INTEGER REFERENCES orgs (id)
) STRICT;

-- Ownership or registered tenancy of a premises, as confirmed by the registry.
CREATE TABLE ownerships (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES persons (id),
    premises_id INTEGER NOT NULL REFERENCES premises (id),
    relation    TEXT NOT NULL CHECK (relation IN ('owner', 'tenant')),
    share_num   INTEGER NOT NULL,
    share_den   INTEGER NOT NULL,
    since       TEXT NOT NULL,
    until       TEXT
) STRICT;
CREATE INDEX ownerships_person ON ownerships (person_id);
CREATE INDEX ownerships_premises ON ownerships (premises_id);

CREATE TABLE accounts (
    id                 INTEGER PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
    els                TEXT NOT NULL UNIQUE CHECK (length(els) = 10),
    premises_id        INTEGER NOT NULL REFERENCES premises (id),
    persons_registered INTEGER NOT NULL,
    total_area         INTEGER NOT NULL,
    living_area        INTEGER NOT NULL
) STRICT;
CREATE INDEX accounts_premises ON accounts (premises_id);
