-- Communities (official house chats, microdistrict channels), memberships and messages.

CREATE TABLE communities (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('house_chat', 'microdistrict')),
    -- The house of an official chat; NULL for a microdistrict channel.
    house_id     INTEGER UNIQUE REFERENCES houses (id),
    title        TEXT NOT NULL,
    -- Every community is owned by the State Housing Inspection.
    owner        TEXT NOT NULL DEFAULT 'inspection',
    admin_org_id INTEGER REFERENCES orgs (id),
    admin_status TEXT NOT NULL CHECK (admin_status IN ('granted', 'pending')),
    created_at   TEXT NOT NULL
) STRICT;

-- The houses a community informs (one for a house chat, many for a channel).
CREATE TABLE community_houses (
    community_id INTEGER NOT NULL REFERENCES communities (id),
    house_id     INTEGER NOT NULL REFERENCES houses (id),
    PRIMARY KEY (community_id, house_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX community_houses_house ON community_houses (house_id);

CREATE TABLE memberships (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    person_id    INTEGER NOT NULL REFERENCES persons (id),
    role         TEXT NOT NULL CHECK (role IN ('resident', 'chair', 'dispatcher', 'inspector')),
    joined_at    TEXT NOT NULL,
    left_at      TEXT,
    UNIQUE (community_id, person_id)
) STRICT;
CREATE INDEX memberships_person ON memberships (person_id);

CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    author_id    INTEGER NOT NULL REFERENCES persons (id),
    -- The client-made idempotency key (a UUID); unique per author.
    client_key   TEXT NOT NULL,
    body         TEXT NOT NULL,
    reply_to     INTEGER REFERENCES messages (id),
    created_at   TEXT NOT NULL,
    edited_at    TEXT,
    deleted_at   TEXT,
    UNIQUE (author_id, client_key)
) STRICT;
CREATE INDEX messages_community ON messages (community_id, id);
