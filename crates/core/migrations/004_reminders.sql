-- Reminders shown once: a key per reminder (e.g. `meters:2026-11`, the month whose reading
-- window opened), so a restart or another sync does not show it again.
CREATE TABLE reminders (
    key     TEXT PRIMARY KEY,
    shown_at TEXT NOT NULL
) STRICT;
