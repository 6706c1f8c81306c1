-- The desk's period filter counts per status and overdue from the index alone (day, status,
-- deadline), as the plain queue does from (status, deadline).
DROP INDEX ticket_index_created_day;
CREATE INDEX ticket_index_period ON ticket_index (created_day, status, deadline_s);
