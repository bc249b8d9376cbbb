-- 建築年月日 as the municipality's ledger (固定資産課税台帳 家屋) gives it, as precise as it gives it:
-- 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'. NULL = not in the ledger. The 利活用判定 reads it against the
-- rubric's 新耐震基準 date (1981-06-01); a year or month that straddles that date is 判定不能, never guessed.
ALTER TABLE properties ADD COLUMN built_on TEXT CHECK (
    built_on IS NULL
    OR built_on GLOB '[12][0-9][0-9][0-9]'
    OR built_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]'
    OR built_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]');
