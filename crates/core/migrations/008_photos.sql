-- Tickets' photos as fetched, thumbnails and whole ones, kept by ticket so they leave with
-- the ticket (or its house) and show offline once seen. A photo's id is its SHA-256, so its
-- bytes never change.
CREATE TABLE ticket_photos (
    ticket_id INTEGER NOT NULL,
    photo_id  TEXT NOT NULL,
    thumb     INTEGER NOT NULL CHECK (thumb IN (0, 1)),
    bytes     BLOB NOT NULL,
    PRIMARY KEY (ticket_id, photo_id, thumb)
) STRICT;
