-- Work an owner ordered (issue 23: 草刈, 巡回看板の設置, 簡単な清掃, 不用品整理) is the carrier's task of kind
-- 'work', recorded with the option_work rubric (an inspection of kind 'work'); service_orders.task_id names
-- it. The CHECK on tasks.kind and inspections.kind refused 'work'.
-- As 0006_event_type_other.sql: SQLite cannot alter a CHECK, and rebuilding tasks or inspections would
-- rewrite the foreign keys that point at them; a CHECK that only accepts more values does not change what is
-- stored, so each table's SQL text is edited in place (writable_schema; RESET reloads this connection's
-- schema and the throwaway table bumps the schema cookie so every other connection reloads too).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, 'CHECK (kind IN (''survey'', ''watch'', ''disaster''))',
                       'CHECK (kind IN (''survey'', ''watch'', ''disaster'', ''work''))')
WHERE type = 'table' AND name IN ('tasks', 'inspections');
PRAGMA writable_schema = RESET;
CREATE TABLE schema_cookie_bump (x);
DROP TABLE schema_cookie_bump;
-- At most one open work task per order is kept by server/menu/queries.py; the lookup from an approved
-- visit's task to its order is by this index.
CREATE INDEX service_orders_task ON service_orders(task_id);
