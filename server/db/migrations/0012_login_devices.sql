-- Devices that signed in before (OWASP "Slow Down Online Guessing Attacks with Device Cookies";
-- server/auth/devices.py): each holds a random token in a cookie, stored here only as a sha256 and
-- bound to the user it signed in as. Such a device is not held back by its address's or its login's
-- counters of failures from untrusted clients, only by its own (scope 'device').
CREATE TABLE login_devices (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX login_devices_expires ON login_devices(expires_at);

-- login_failures gains two scopes: 'account' (one login over every address: slows guessing spread
-- over many addresses) and 'device' (one trusted device: address = its token's sha256). The table is
-- rebuilt to widen its CHECK; the counts it held are kept.
CREATE TABLE login_failures_new (
    scope          TEXT NOT NULL CHECK (scope IN ('login', 'address', 'account', 'device')),
    login          TEXT NOT NULL,               -- as typed; '' for scope 'address'
    address        TEXT NOT NULL,               -- client address (IPv6: its /64); '' for 'account'; token hash for 'device'
    failures       INTEGER NOT NULL,
    last_failed_at TEXT NOT NULL,
    wait_until     TEXT NOT NULL,               -- no attempt is checked before this time
    forget_at      TEXT NOT NULL,               -- after this the count starts again from zero; the row is pruned
    PRIMARY KEY (scope, login, address)
);
INSERT INTO login_failures_new (scope, login, address, failures, last_failed_at, wait_until, forget_at)
    SELECT scope, login, address, failures, last_failed_at, wait_until, forget_at FROM login_failures;
DROP TABLE login_failures;
ALTER TABLE login_failures_new RENAME TO login_failures;
CREATE INDEX login_failures_forget ON login_failures(forget_at);
