-- Photos chosen for a ticket, already checked and stripped of every block that can name a
-- place, waiting to be uploaded with it. `key` is the upload's key on the server, so an
-- upload cut off goes on from where the server got to; `photo_id` is the server's id once
-- it has the whole photo, so a ticket sent again does not upload it again. A photo leaves
-- with the ticket that took it (delivered or discarded); one chosen and never filed is
-- dropped a day later.
CREATE TABLE outbox.photos (
    key        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('jpeg', 'png', 'webp')),
    bytes      BLOB NOT NULL,
    photo_id   TEXT,
    created_at INTEGER NOT NULL
) STRICT;
