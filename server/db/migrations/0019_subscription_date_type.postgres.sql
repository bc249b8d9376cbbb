-- Watch subscription periods as DATE columns on PostgreSQL (issue 20: "stored as DATE on
-- PostgreSQL and ISO on SQLite with a CHECK"). The type itself now refuses what is not a day, so
-- the text CHECKs of 0014 go.
--
-- Rows stored before 0014 with text that is not a real day YYYY-MM-DD (0014 reported each in the
-- audit log as `subscription.bad_date`) cannot become dates without guessing what they meant: the
-- migration stops, naming them, and changes nothing; correct them (or end and re-create the
-- subscription) and start again.
DO $$
DECLARE
    bad TEXT;
BEGIN
    SELECT string_agg(id::text, ', ' ORDER BY id) INTO bad FROM watch_subscriptions
    WHERE NOT is_calendar_day(start_date) OR (end_date IS NOT NULL AND NOT is_calendar_day(end_date));
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'watch_subscriptions % have start_date or end_date that is not a day written YYYY-MM-DD (audit log: subscription.bad_date); correct them first', bad;
    END IF;
END;
$$;
ALTER TABLE watch_subscriptions DROP CONSTRAINT watch_subscriptions_start_date_day;
ALTER TABLE watch_subscriptions DROP CONSTRAINT watch_subscriptions_end_date_day;
ALTER TABLE watch_subscriptions
    ALTER COLUMN start_date TYPE DATE USING start_date::date,
    ALTER COLUMN end_date TYPE DATE USING end_date::date;
-- SQLite's date(day, '+0 days') over a DATE: the shared SQL compares a visit's day in Japan (text,
-- date(started_at, '+9 hours')) with a subscription's period written this way
-- (server/users/access.py subscription_day), which is the same ISO text on both engines.
CREATE OR REPLACE FUNCTION date(moment DATE, modifier TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(moment + modifier::interval, 'YYYY-MM-DD')
$$;
