-- The first schema. Field records (inspections, photos) and the things a phone may create
-- (reported properties) are keyed by client-made UUIDs; office records by integers.

CREATE TABLE municipalities (
    code        TEXT PRIMARY KEY CHECK (length(code) = 6),   -- 全国地方公共団体コード with check digit
    name        TEXT NOT NULL,
    prefecture  TEXT NOT NULL
);

CREATE TABLE post_offices (
    code              TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES municipalities(code),
    address           TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    hours             TEXT NOT NULL DEFAULT '',
    lat               REAL,
    lon               REAL
);

CREATE TABLE owners (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    name_kana       TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    email           TEXT,
    report_delivery TEXT NOT NULL DEFAULT 'web' CHECK (report_delivery IN ('web', 'email')),
    created_at      TEXT NOT NULL
);

CREATE TABLE users (
    id                INTEGER PRIMARY KEY,
    login             TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('carrier', 'office', 'municipality', 'owner', 'admin')),
    office_code       TEXT REFERENCES post_offices(code),
    municipality_code TEXT REFERENCES municipalities(code),
    owner_id          INTEGER REFERENCES owners(id),
    password_hash     TEXT NOT NULL,
    active            INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    CHECK (role NOT IN ('carrier', 'office') OR office_code IS NOT NULL),
    CHECK (role <> 'municipality' OR municipality_code IS NOT NULL),
    CHECK (role <> 'owner' OR owner_id IS NOT NULL)
);

CREATE TABLE auth_tokens (
    token_hash  TEXT PRIMARY KEY,            -- sha256 of the bearer token; the token itself is never stored
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX auth_tokens_user ON auth_tokens(user_id);

CREATE TABLE properties (
    id                TEXT PRIMARY KEY,       -- UUID (client-made when a carrier reports a house)
    municipality_code TEXT NOT NULL REFERENCES municipalities(code),
    office_code       TEXT REFERENCES post_offices(code),
    district          TEXT NOT NULL DEFAULT '',   -- 大字 / 町丁目
    address           TEXT NOT NULL,
    lat               REAL,
    lon               REAL,
    real_estate_id    TEXT CHECK (real_estate_id IS NULL OR real_estate_id GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'),
    building_use      TEXT NOT NULL DEFAULT '',
    structure         TEXT NOT NULL DEFAULT '',
    storeys           INTEGER CHECK (storeys IS NULL OR storeys BETWEEN 1 AND 99),
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'candidate', 'removed')),
    usual_carrier_id  INTEGER REFERENCES users(id),
    reported_by       INTEGER REFERENCES users(id),
    notes             TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX properties_municipality ON properties(municipality_code, district);
CREATE INDEX properties_office ON properties(office_code);

CREATE TABLE watch_subscriptions (
    id           INTEGER PRIMARY KEY,
    property_id  TEXT NOT NULL REFERENCES properties(id),
    owner_id     INTEGER NOT NULL REFERENCES owners(id),
    plan         TEXT NOT NULL DEFAULT 'monthly' CHECK (plan = 'monthly'),
    options      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options)),  -- airing, mail_tidy, mail_forward, disaster
    requested_spot TEXT NOT NULL DEFAULT '',
    start_date   TEXT NOT NULL,
    end_date     TEXT,
    paused       INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX watch_subscriptions_property ON watch_subscriptions(property_id);
CREATE INDEX watch_subscriptions_owner ON watch_subscriptions(owner_id);

CREATE TABLE survey_contracts (
    id                INTEGER PRIMARY KEY,
    municipality_code TEXT NOT NULL REFERENCES municipalities(code),
    office_code       TEXT NOT NULL REFERENCES post_offices(code),
    title             TEXT NOT NULL,
    period_start      TEXT NOT NULL,
    period_end        TEXT NOT NULL,
    rubric_id         TEXT NOT NULL,
    rubric_version    INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    CHECK (period_start <= period_end)
);

CREATE TABLE contract_properties (
    contract_id  INTEGER NOT NULL REFERENCES survey_contracts(id),
    property_id  TEXT NOT NULL REFERENCES properties(id),
    PRIMARY KEY (contract_id, property_id)
);

CREATE TABLE disaster_events (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('earthquake', 'typhoon', 'heavy_rain', 'snow')),
    intensity        TEXT NOT NULL DEFAULT '',   -- e.g. 震度5強
    title            TEXT NOT NULL DEFAULT '',
    occurred_at      TEXT NOT NULL,
    area             TEXT NOT NULL CHECK (json_valid(area)),
    include_surveyed INTEGER NOT NULL DEFAULT 0,
    created_by       INTEGER REFERENCES users(id),
    created_at       TEXT NOT NULL
);

CREATE TABLE tasks (
    id                TEXT PRIMARY KEY,       -- UUID
    property_id       TEXT NOT NULL REFERENCES properties(id),
    kind              TEXT NOT NULL CHECK (kind IN ('survey', 'watch', 'disaster')),
    rubric_id         TEXT NOT NULL,
    rubric_version    INTEGER NOT NULL,
    contract_id       INTEGER REFERENCES survey_contracts(id),
    subscription_id   INTEGER REFERENCES watch_subscriptions(id),
    disaster_event_id INTEGER REFERENCES disaster_events(id),
    period            TEXT,                   -- YYYY-MM for a monthly watch visit
    due_date          TEXT NOT NULL,
    assignee_id       INTEGER REFERENCES users(id),
    priority          INTEGER NOT NULL DEFAULT 0,   -- 0 normal, 1 high, 2 urgent (post-disaster)
    options           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options)),
    note              TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX tasks_assignee ON tasks(assignee_id, status);
CREATE INDEX tasks_property ON tasks(property_id);
CREATE UNIQUE INDEX tasks_one_visit_per_month ON tasks(subscription_id, period) WHERE kind = 'watch';
CREATE UNIQUE INDEX tasks_one_per_event ON tasks(disaster_event_id, property_id) WHERE kind = 'disaster';

CREATE TABLE inspections (
    id              TEXT PRIMARY KEY,          -- UUID made on the phone
    task_id         TEXT REFERENCES tasks(id),
    property_id     TEXT NOT NULL REFERENCES properties(id),
    rubric_id       TEXT NOT NULL,
    rubric_version  INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('survey', 'watch', 'disaster')),  -- the rubric's kind
    carrier_id      INTEGER NOT NULL REFERENCES users(id),
    device_id       TEXT NOT NULL DEFAULT '',
    started_at      TEXT NOT NULL,
    finished_at     TEXT NOT NULL,
    lat             REAL,
    lon             REAL,
    accuracy_m      REAL,
    answers         TEXT NOT NULL CHECK (json_valid(answers)),
    options         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options)),
    notes           TEXT NOT NULL DEFAULT '',
    supersedes      TEXT REFERENCES inspections(id),
    body_sha256     TEXT NOT NULL,            -- of the canonical submitted body: identical resend = duplicate
    result          TEXT NOT NULL CHECK (json_valid(result)),
    rank            TEXT,
    total           REAL,
    likelihood      TEXT,
    status          TEXT NOT NULL CHECK (status IN ('awaiting_photos', 'submitted', 'approved', 'returned', 'superseded')),
    received_at     TEXT NOT NULL,
    reviewed_by     INTEGER REFERENCES users(id),
    reviewed_at     TEXT,
    review_comment  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inspections_property ON inspections(property_id, finished_at);
CREATE INDEX inspections_carrier ON inspections(carrier_id);
CREATE INDEX inspections_status ON inspections(status);
CREATE UNIQUE INDEX inspections_superseded_once ON inspections(supersedes) WHERE supersedes IS NOT NULL;

CREATE TABLE photos (
    id             TEXT PRIMARY KEY,           -- UUID made on the phone
    inspection_id  TEXT NOT NULL REFERENCES inspections(id),
    slot           TEXT NOT NULL,
    sha256         TEXT NOT NULL,              -- declared by the phone, checked on upload
    received_at    TEXT,                       -- NULL until the bytes arrived
    bytes          INTEGER,
    width          INTEGER,
    height         INTEGER,
    taken_at       TEXT,
    offset_assumed INTEGER,
    lat            REAL,
    lon            REAL,
    device_lat     REAL,                       -- the phone's position at capture, for phones that strip GPS
    device_lon     REAL,
    orientation    INTEGER,
    camera         TEXT,
    phash          TEXT,
    flags          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(flags))
);
CREATE INDEX photos_inspection ON photos(inspection_id);
CREATE INDEX photos_phash ON photos(phash);

CREATE TABLE generated_reports (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('owner_monthly', 'disaster_notice', 'survey')),
    subject_id  TEXT NOT NULL,                -- property id, inspection id or contract id
    period      TEXT NOT NULL DEFAULT '',     -- YYYY-MM for monthly reports
    sha256      TEXT NOT NULL,
    path        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (kind, subject_id, period)
);

-- Exactly-once push: every op a device sent, with the answer it got.
CREATE TABLE sync_ops (
    op_id        TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    device_id    TEXT NOT NULL,
    type         TEXT NOT NULL,
    status       TEXT NOT NULL,
    received_at  TEXT NOT NULL
);

-- What changed, in order: the pull cursor is a position in this log.
CREATE TABLE change_log (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    entity            TEXT NOT NULL,          -- task | property | inspection
    entity_id         TEXT NOT NULL,
    user_id           INTEGER,                -- whose phone should hear of it (NULL: everyone holding it)
    previous_user_id  INTEGER                 -- for a reassignment: the phone it was taken from
);
CREATE INDEX change_log_user ON change_log(user_id, seq);
CREATE INDEX change_log_previous_user ON change_log(previous_user_id, seq);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    device_id   TEXT,
    client_addr TEXT,
    action      TEXT NOT NULL,                -- e.g. inspection.submit, photo.upload, auth.login, review.approve
    entity      TEXT,
    entity_id   TEXT,
    details     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
