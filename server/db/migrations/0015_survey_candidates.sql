-- Survey candidate lists (候補の抽出, server/survey_candidates/): the houses a town's lists (水道, 課税台帳,
-- 住基, 通報, 目視…) name as possibly vacant, per survey contract. Not the carrier-reported houses of
-- server/contracts/candidates.py (properties.status = 'candidate'): these are rows of a town's list.
-- One candidate per house and contract (merge_key: the house it is linked to, else its normalised
-- address); each list that named it is a reason. Owners (課税台帳) are personal data: their own table.
CREATE TABLE survey_candidates (
    id             INTEGER PRIMARY KEY,
    contract_id    INTEGER NOT NULL REFERENCES survey_contracts(id),
    merge_key      TEXT NOT NULL,             -- 'p:<property id>' when linked, else 'a:<normalised address>'
    address        TEXT NOT NULL,             -- as the first list wrote it
    address_key    TEXT NOT NULL,             -- normalised (server/survey_candidates/address.py)
    property_id    TEXT REFERENCES properties(id),
    match_state    TEXT NOT NULL CHECK (match_state IN ('linked', 'ambiguous', 'new', 'not_found')),
    possible_houses TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(possible_houses)),  -- ambiguous: property ids
    chiban         TEXT NOT NULL DEFAULT '',  -- 地番
    kaoku_no       TEXT NOT NULL DEFAULT '',  -- 家屋番号
    building_use   TEXT NOT NULL DEFAULT '',
    structure      TEXT NOT NULL DEFAULT '',
    built_year     INTEGER,
    floor_area     REAL,                      -- 延床面積 m²
    outcome        TEXT CHECK (outcome IS NULL OR outcome IN ('occupied', 'cleared', 'not_located', 'excluded')),
    outcome_reason TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    UNIQUE (contract_id, merge_key)
);
CREATE INDEX survey_candidates_property ON survey_candidates(property_id);

CREATE TABLE candidate_reasons (
    candidate_id INTEGER NOT NULL REFERENCES survey_candidates(id),
    source       TEXT NOT NULL,               -- 水道, 課税台帳, 住基, 通報, 目視 …
    file_sha256  TEXT NOT NULL,               -- the list it came from
    line         INTEGER NOT NULL,            -- its row in that file
    PRIMARY KEY (candidate_id, source)
);

-- Personal data (課税台帳): seen only as server/users/access.py candidate_owner_condition says; every view audited.
CREATE TABLE candidate_owners (
    candidate_id INTEGER PRIMARY KEY REFERENCES survey_candidates(id),
    name         TEXT NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    postal_code  TEXT NOT NULL DEFAULT '',
    postal_flag  TEXT NOT NULL DEFAULT '',    -- why the postal code looks wrong ('' when it fits)
    source       TEXT NOT NULL
);

-- Files already imported into a contract: the same file again changes nothing.
CREATE TABLE candidate_imports (
    contract_id INTEGER NOT NULL REFERENCES survey_contracts(id),
    file_sha256 TEXT NOT NULL,
    row_count   INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (contract_id, file_sha256)
);

-- Post-office staff an admin allows to see owners' names and addresses (for the letters to owners).
ALTER TABLE users ADD COLUMN sees_owner_letters INTEGER NOT NULL DEFAULT 0;
