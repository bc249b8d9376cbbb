-- PostgreSQL's text of 0005_survey_identifiers.sql (same columns, same numbering): the subquery
-- in FROM needs an alias, and the trigger is a function. A BEFORE trigger sets the number on
-- the row being inserted, after locking the contract's row so two transactions adding houses to
-- one contract at once take numbers one after the other (SQLite has one writer at a time).

ALTER TABLE properties ADD COLUMN ledger_no TEXT NOT NULL DEFAULT '';
ALTER TABLE properties ADD COLUMN chiban TEXT NOT NULL DEFAULT '';
ALTER TABLE properties ADD COLUMN kaoku_no TEXT NOT NULL DEFAULT '';

ALTER TABLE survey_contracts ADD COLUMN contract_no TEXT NOT NULL DEFAULT '';
ALTER TABLE survey_contracts ADD COLUMN houses_in_area BIGINT CHECK (houses_in_area IS NULL OR houses_in_area > 0);

ALTER TABLE contract_properties ADD COLUMN ref BIGINT;
UPDATE contract_properties SET ref = numbered.n
FROM (
    SELECT cp.contract_id, cp.property_id,
           row_number() OVER (PARTITION BY cp.contract_id ORDER BY p.district, p.address, p.id) AS n
    FROM contract_properties cp JOIN properties p ON p.id = cp.property_id
) AS numbered
WHERE numbered.contract_id = contract_properties.contract_id
  AND numbered.property_id = contract_properties.property_id;
CREATE UNIQUE INDEX contract_properties_ref ON contract_properties(contract_id, ref);

CREATE FUNCTION contract_properties_next_ref() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM survey_contracts WHERE id = NEW.contract_id FOR UPDATE;
    NEW.ref := (SELECT coalesce(max(ref), 0) + 1 FROM contract_properties WHERE contract_id = NEW.contract_id);
    RETURN NEW;
END;
$$;
CREATE TRIGGER contract_properties_next_ref BEFORE INSERT ON contract_properties
FOR EACH ROW WHEN (NEW.ref IS NULL) EXECUTE FUNCTION contract_properties_next_ref();
