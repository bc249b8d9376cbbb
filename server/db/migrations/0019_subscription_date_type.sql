-- Watch subscription periods as dates. On SQLite they stay ISO text (YYYY-MM-DD), held to real
-- days by the CHECK of 0014; nothing changes here. PostgreSQL runs
-- 0019_subscription_date_type.postgres.sql instead, which makes them DATE columns.
SELECT 1;
