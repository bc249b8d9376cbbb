-- The back office: e-mail outbox for owners' reports, and one event per disaster.

-- One row per report and recipient: the unique key means a report is never mailed twice.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('owner_monthly', 'disaster_notice')),
    subject_id      TEXT NOT NULL,               -- property id (monthly) or inspection id (disaster notice)
    period          TEXT NOT NULL DEFAULT '',    -- YYYY-MM for monthly reports
    owner_id        INTEGER NOT NULL REFERENCES owners(id),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    UNIQUE (kind, subject_id, period, owner_id)
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);

-- The same disaster registered twice (same kind, time and area) is the same event.
ALTER TABLE disaster_events ADD COLUMN identity TEXT;
UPDATE disaster_events SET identity = kind || '|' || occurred_at || '|' || area;
CREATE UNIQUE INDEX disaster_events_identity ON disaster_events(identity);
ALTER TABLE disaster_events ADD COLUMN updated_at TEXT;
