-- Facts about this database itself. ('demo', date) is written by `akiya seed-demo` only: demo mode
-- (which shows the demo town's shared password) runs on no other database (server/demo/mode.py).
CREATE TABLE database_meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL,
    set_at TEXT NOT NULL
);
