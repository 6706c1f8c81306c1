-- A message that tells a chat of a posted notice (an outage) names it, so the timeline
-- shows it as a notice and no message notification repeats the outage's own.
ALTER TABLE messages ADD COLUMN notice_id INTEGER;
