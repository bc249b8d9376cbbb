-- Named leases (server/leases.py): which server process runs a job that must run in exactly one
-- process at a time (the daily monthly-visit generator, the mail sender). The holder keeps its lease
-- by renewing it before expires_at; when the holder dies, another process takes the lease once it
-- has expired. holder '' is nobody (released). Times are RFC 3339 text in UTC, compared as text.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    taken_at   TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
