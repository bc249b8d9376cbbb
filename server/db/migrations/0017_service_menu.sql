-- The service menu as data (issue 23): the base watch service and its options, each with a kind
-- (base / monthly / one_off / by_quote); prices as a history (a price applies from `valid_from`, and a
-- new row never rewrites a month already stated); an owner's options with start and end dates; pauses
-- with their dates (a statement must know whether a past month was paused); one-off and quoted work.
--
-- watch_subscriptions.options (a JSON list: airing, mail_tidy, mail_forward, disaster) is converted to
-- subscription_options rows over the subscription's own period. The column stays, written by
-- server/subscriptions/queries.py as a mirror of the options running today, for readers not yet moved
-- (server/disasters/queries.py); the dated rows are the truth.
-- Prices are not inserted here: an installation's prices are the admin's to enter (the demo enters the
-- reported ones, marked as such). A service without a price is stated as 料金未設定, never as 0 yen.
CREATE TABLE services (
    key        TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('base', 'monthly', 'one_off', 'by_quote')),
    position   INTEGER NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1   -- 0: no longer offered (kept for old statements)
);
INSERT INTO services (key, name, kind, position, active) VALUES
    ('watch', 'みまもり 基本', 'base', 0, 1),
    ('airing', '通風・通水', 'monthly', 10, 1),
    ('mail_forward', '投函物の送付', 'monthly', 20, 1),
    ('mail_tidy', '投函物片付け', 'monthly', 30, 1),
    ('disaster', '災害後見回り', 'monthly', 40, 1),
    ('sign', '巡回看板の設置', 'one_off', 50, 1),
    ('extra_visit', '臨時見回り', 'one_off', 60, 1),
    ('mowing', '草刈', 'by_quote', 70, 1),
    ('clearing', '不用品整理', 'by_quote', 80, 1),
    ('cleaning', '簡単な清掃', 'one_off', 90, 1);

CREATE TABLE service_prices (
    id          INTEGER PRIMARY KEY,
    service_key TEXT NOT NULL REFERENCES services(key),
    valid_from  TEXT NOT NULL,             -- YYYY-MM-DD (checked by server/menu/queries.py)
    yen         INTEGER NOT NULL CHECK (yen >= 0),
    reference   TEXT NOT NULL DEFAULT '',  -- e.g. 報道による参考価格（デモ）
    created_at  TEXT NOT NULL,
    UNIQUE (service_key, valid_from)
);

CREATE TABLE subscription_options (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES watch_subscriptions(id),
    service_key     TEXT NOT NULL REFERENCES services(key),
    start_date      TEXT NOT NULL,
    end_date        TEXT,                  -- included; NULL while it runs
    created_at      TEXT NOT NULL
);
CREATE INDEX subscription_options_subscription ON subscription_options(subscription_id);

CREATE TABLE subscription_pauses (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES watch_subscriptions(id),
    from_date       TEXT NOT NULL,
    until_date      TEXT,                  -- the last paused day, included; NULL while paused
    created_at      TEXT NOT NULL
);
CREATE INDEX subscription_pauses_subscription ON subscription_pauses(subscription_id);

CREATE TABLE service_orders (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES watch_subscriptions(id),
    service_key     TEXT NOT NULL REFERENCES services(key),
    wanted_on       TEXT NOT NULL,         -- the day the owner asked for
    note            TEXT NOT NULL DEFAULT '',
    quote_yen       INTEGER CHECK (quote_yen IS NULL OR quote_yen >= 0),  -- by_quote: the office's quote
    accepted_on     TEXT,                  -- by_quote: the day the owner accepted the quote
    done_on         TEXT,                  -- the day the work was done (charged in that month)
    done_note       TEXT NOT NULL DEFAULT '',
    task_id         TEXT REFERENCES tasks(id),  -- 臨時見回り: the carrier's watch visit on the owner's day
    created_at      TEXT NOT NULL
);
CREATE INDEX service_orders_subscription ON service_orders(subscription_id);

INSERT INTO subscription_options (subscription_id, service_key, start_date, end_date, created_at)
SELECT s.id, o.value, s.start_date, s.end_date, s.updated_at
FROM watch_subscriptions s, json_each(s.options) o
WHERE o.value IN (SELECT key FROM services WHERE kind = 'monthly');

-- A subscription paused before this migration: when it was paused is not recorded; its last change
-- (updated_at, as a day in Japan) is the nearest known day.
INSERT INTO subscription_pauses (subscription_id, from_date, until_date, created_at)
SELECT id, date(updated_at, '+9 hours'), NULL, updated_at FROM watch_subscriptions WHERE paused = 1;
