-- PostgreSQL's text of 0022_work_tasks.sql: a CHECK is altered by replacing it.
ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('survey', 'watch', 'disaster', 'work'));
ALTER TABLE inspections DROP CONSTRAINT inspections_kind_check;
ALTER TABLE inspections ADD CONSTRAINT inspections_kind_check CHECK (kind IN ('survey', 'watch', 'disaster', 'work'));
CREATE INDEX service_orders_task ON service_orders(task_id);
