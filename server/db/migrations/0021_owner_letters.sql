-- 所有者意向調査 by post (server/owner_survey/): the town's letter text and answer deadline per survey
-- contract, one letter per candidate owner (its one-time 回答コード stored only as a sha256), the owner's
-- answer (web or a paper postcard typed in by the clerk) and letters the post brought back.
CREATE TABLE owner_survey_settings (
    contract_id     INTEGER PRIMARY KEY REFERENCES survey_contracts(id),
    letter_text     TEXT NOT NULL,            -- the town's template (server/owner_survey/template.py)
    answer_deadline TEXT NOT NULL,            -- YYYY-MM-DD: answers accepted to the end of that day (JST)
    updated_at      TEXT NOT NULL
);

CREATE TABLE owner_letters (
    id              INTEGER PRIMARY KEY,
    contract_id     INTEGER NOT NULL REFERENCES survey_contracts(id),
    candidate_id    INTEGER NOT NULL REFERENCES survey_candidates(id),
    code_sha256     TEXT NOT NULL UNIQUE,     -- the 回答コード's hash; the code itself is printed, never stored
    issued_at       TEXT NOT NULL,
    answer_deadline TEXT NOT NULL,
    returned_reason TEXT NOT NULL DEFAULT '', -- あて所に尋ねあたりません, 転居先不明, 受取拒否 … ('' = not returned)
    returned_at     TEXT,
    UNIQUE (contract_id, candidate_id)
);

CREATE TABLE owner_answers (
    letter_id   INTEGER PRIMARY KEY REFERENCES owner_letters(id),
    answers     TEXT NOT NULL CHECK (json_valid(answers)),
    channel     TEXT NOT NULL CHECK (channel IN ('web', 'paper')),
    answered_at TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
