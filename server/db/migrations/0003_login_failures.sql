-- Failed sign-ins, counted where every server process on this database sees them (server/auth/limits.py).
-- scope 'login': one login tried from one address; scope 'address': every login tried from that address.
CREATE TABLE login_failures (
    scope          TEXT NOT NULL CHECK (scope IN ('login', 'address')),
    login          TEXT NOT NULL,               -- as typed; '' for scope 'address'
    address        TEXT NOT NULL,               -- client address (IPv6: its /64 network)
    failures       INTEGER NOT NULL,
    last_failed_at TEXT NOT NULL,
    wait_until     TEXT NOT NULL,               -- no attempt is checked before this time
    forget_at      TEXT NOT NULL,               -- after this the count starts again from zero; the row is pruned
    PRIMARY KEY (scope, login, address)
);
CREATE INDEX login_failures_forget ON login_failures(forget_at);
