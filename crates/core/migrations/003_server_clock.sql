-- How far the server's clock was from this machine's at the last sync (server minus
-- machine, milliseconds), so the offline checks of dated rules use the server's time.
ALTER TABLE sync_state ADD COLUMN server_offset_ms INTEGER;
