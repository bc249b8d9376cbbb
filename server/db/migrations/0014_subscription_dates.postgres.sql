-- PostgreSQL's text of 0014_subscription_dates.sql: the same report of rows stored before, and the
-- same rule as CHECK constraints added NOT VALID (rows already stored are not checked, every write
-- from now on is), through a function that says whether a text is a real day written YYYY-MM-DD.
CREATE OR REPLACE FUNCTION is_calendar_day(value TEXT) RETURNS BOOLEAN
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN value ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND to_char(value::date, 'YYYY-MM-DD') = value;
EXCEPTION WHEN others THEN
    RETURN FALSE;
END;
$$;
INSERT INTO audit_log (at, user_id, device_id, client_addr, action, entity, entity_id, details)
SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), NULL, NULL, NULL, 'subscription.bad_date',
       'subscription', id::text, json_build_object('start_date', start_date, 'end_date', end_date)::text
FROM watch_subscriptions
WHERE NOT is_calendar_day(start_date) OR (end_date IS NOT NULL AND NOT is_calendar_day(end_date));
ALTER TABLE watch_subscriptions ADD CONSTRAINT watch_subscriptions_start_date_day
    CHECK (is_calendar_day(start_date)) NOT VALID;
ALTER TABLE watch_subscriptions ADD CONSTRAINT watch_subscriptions_end_date_day
    CHECK (end_date IS NULL OR is_calendar_day(end_date)) NOT VALID;
