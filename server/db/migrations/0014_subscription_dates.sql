-- Watch subscription periods are calendar days written YYYY-MM-DD (they are compared as text with
-- a visit's day in Japan, server/users/access.py). Before, the office form stored whatever it was given
-- ("abc", "2026-02-30", "2026/07/01"), and a period compared as text then covered the wrong visits.
-- From here on a CHECK refuses anything else: `x IS date(x, '+0 days')` holds only for a real day
-- in that exact form (SQLite's date() with a modifier normalises 02-30 to 03-02).
--
-- Rows stored before are not changed (nobody can tell what "abc" meant): each one is reported in
-- the audit log as `subscription.bad_date` with the stored text, for a clerk to correct on the
-- subscription's page; the CHECK is added to the table's SQL in place as in 0006, so it applies to
-- every write from now on (an UPDATE of such a row must give it a real date).
INSERT INTO audit_log (at, user_id, device_id, client_addr, action, entity, entity_id, details)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NULL, NULL, NULL, 'subscription.bad_date', 'subscription',
       CAST(id AS TEXT), json_object('start_date', start_date, 'end_date', end_date)
FROM watch_subscriptions
WHERE start_date IS NOT date(start_date, '+0 days')
   OR (end_date IS NOT NULL AND end_date IS NOT date(end_date, '+0 days'));
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, '    start_date   TEXT NOT NULL,
    end_date     TEXT,',
                       '    start_date   TEXT NOT NULL CHECK (start_date IS date(start_date, ''+0 days'')),
    end_date     TEXT CHECK (end_date IS NULL OR end_date IS date(end_date, ''+0 days'')),')
WHERE type = 'table' AND name = 'watch_subscriptions';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_cookie_bump (x);
DROP TABLE schema_cookie_bump;
