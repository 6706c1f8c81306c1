-- The desk lists open emergencies first, those no one has taken yet ahead of those being
-- worked, each group by deadline (ticket::sort_key): the rows already cached take the order.
UPDATE ticket_index SET sort_key = deadline_s - 8000000000 WHERE emergency = 1 AND status = 'new';
UPDATE ticket_index SET sort_key = deadline_s - 4000000000
WHERE emergency = 1 AND status IN ('accepted', 'in_work');
