-- The values a refusal names (the previous reading, the window's dates), so a failed item
-- is worded in the person's language like any other refusal.
ALTER TABLE outbox.requests ADD COLUMN error_params TEXT CHECK (error_params IS NULL OR json_valid(error_params));
