-- Survey deliverables carry the municipality's own identifiers and numbers that never change.

-- The municipality's 空家台帳 number, the land parcel (地番) and the registered building number (家屋番号).
ALTER TABLE properties ADD COLUMN ledger_no TEXT NOT NULL DEFAULT '';
ALTER TABLE properties ADD COLUMN chiban TEXT NOT NULL DEFAULT '';
ALTER TABLE properties ADD COLUMN kaoku_no TEXT NOT NULL DEFAULT '';

-- The contract's real 契約番号 (as the municipality wrote it), and the number of houses in the
-- surveyed area when the contract gives it (the report's 空き家率 needs it).
ALTER TABLE survey_contracts ADD COLUMN contract_no TEXT NOT NULL DEFAULT '';
ALTER TABLE survey_contracts ADD COLUMN houses_in_area INTEGER CHECK (houses_in_area IS NULL OR houses_in_area > 0);

-- 整理番号: given once per house per contract, never renumbered between interim and final reports.
-- Houses already under contract are numbered in the order the reports listed them (大字, 住所).
ALTER TABLE contract_properties ADD COLUMN ref INTEGER;
UPDATE contract_properties SET ref = (
    SELECT n FROM (
        SELECT cp.property_id AS pid,
               row_number() OVER (ORDER BY p.district, p.address, p.id) AS n
        FROM contract_properties cp JOIN properties p ON p.id = cp.property_id
        WHERE cp.contract_id = contract_properties.contract_id
    ) WHERE pid = contract_properties.property_id);
CREATE UNIQUE INDEX contract_properties_ref ON contract_properties(contract_id, ref);

-- Every house added to a contract later gets the next number, whichever code adds it.
CREATE TRIGGER contract_properties_next_ref AFTER INSERT ON contract_properties WHEN NEW.ref IS NULL
BEGIN
    UPDATE contract_properties
       SET ref = (SELECT coalesce(max(ref), 0) + 1 FROM contract_properties WHERE contract_id = NEW.contract_id)
     WHERE contract_id = NEW.contract_id AND property_id = NEW.property_id;
END;
