-- Applications for a community's admin rights (the Inspection's queue; staff and applicants
-- see theirs).
CREATE TABLE admin_applications (
    id       INTEGER PRIMARY KEY,
    house_id INTEGER NOT NULL,
    open     INTEGER NOT NULL,
    payload  TEXT NOT NULL
) STRICT;
CREATE INDEX admin_applications_queue ON admin_applications (open DESC, id);
CREATE INDEX admin_applications_house ON admin_applications (house_id);
