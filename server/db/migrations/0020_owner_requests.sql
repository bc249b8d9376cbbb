-- What an owner asks for from their own pages (issue 23 part 2; server/owner_requests/queries.py): spots to
-- photograph at the next visit, a 臨時見回り on a day, a quote (草刈, 不用品整理), a monthly option added or
-- ended from a day, a pause or a resume. Each waits in the office's queue until a clerk accepts it (the
-- change is then made by the code the office's own pages use: requested_spot, service_orders,
-- subscription_options, subscription_pauses; order_id names the work it became) or declines it with a
-- reason the owner reads on their page.
CREATE TABLE owner_requests (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES watch_subscriptions(id),
    kind            TEXT NOT NULL CHECK (kind IN ('spot', 'extra_visit', 'quote', 'option_add', 'option_end',
                                                  'pause', 'resume')),
    service_key     TEXT REFERENCES services(key),  -- quote: the work; option_add / option_end: the option
    wanted_on       TEXT,                           -- YYYY-MM-DD: the visit's day, the option's first day without or with it
    body            TEXT NOT NULL DEFAULT '',       -- spot: the spots; otherwise the owner's note
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'declined')),
    decline_reason  TEXT NOT NULL DEFAULT '',
    order_id        INTEGER REFERENCES service_orders(id),
    asked_by        INTEGER NOT NULL REFERENCES users(id),
    asked_at        TEXT NOT NULL,
    decided_by      INTEGER REFERENCES users(id),
    decided_at      TEXT
);
CREATE INDEX owner_requests_subscription ON owner_requests(subscription_id, id);
CREATE INDEX owner_requests_status ON owner_requests(status);
