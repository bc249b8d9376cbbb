-- Urgent findings (an answer option marked `urgent` in its rubric: 未施錠, こじ開け, 倒壊, 火災 …):
-- raised in the push transaction that brings the record, listed at once on the office home.
-- The owner is told only after a clerk confirms it; every call is in the contact log.

CREATE TABLE urgent_alerts (
    id               INTEGER PRIMARY KEY,
    inspection_id    TEXT NOT NULL REFERENCES inspections(id),
    property_id      TEXT NOT NULL REFERENCES properties(id),
    item_key         TEXT NOT NULL,
    finding          TEXT NOT NULL,                 -- "玄関の施錠状況: 未施錠", as the carrier saw it
    raised_at        TEXT NOT NULL,
    office_mail      TEXT NOT NULL DEFAULT 'none' CHECK (office_mail IN ('none', 'pending', 'sent', 'failed')),
    confirmed_at     TEXT,
    confirmed_by     INTEGER REFERENCES users(id),
    owner_notice     TEXT NOT NULL DEFAULT '' CHECK (owner_notice IN ('', 'page', 'email')),
    owner_note       TEXT NOT NULL DEFAULT '',      -- what the owner reads, written by the clerk
    owner_mail       TEXT NOT NULL DEFAULT 'none' CHECK (owner_mail IN ('none', 'pending', 'sent', 'failed')),
    closed_at        TEXT,
    UNIQUE (inspection_id, item_key)
);
CREATE INDEX urgent_alerts_open ON urgent_alerts(closed_at, raised_at);
CREATE INDEX urgent_alerts_property ON urgent_alerts(property_id);

-- Who contacted whom, when, and what was agreed.
CREATE TABLE alert_contacts (
    id            INTEGER PRIMARY KEY,
    alert_id      INTEGER NOT NULL REFERENCES urgent_alerts(id),
    recorded_by   INTEGER NOT NULL REFERENCES users(id),
    contacted_by  TEXT NOT NULL,      -- the person who made the call (may be someone other than the clerk)
    contacted     TEXT NOT NULL,      -- whom: the owner, the police, the municipality, a neighbour …
    contacted_at  TEXT NOT NULL,
    agreed        TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX alert_contacts_alert ON alert_contacts(alert_id);
