-- How long a survey contract keeps its owners' personal data (issue 22: "the town can delete them after the
-- contract (a retention setting, default 1 year after the contract ends)"), and when it was deleted.
-- owner_data_keep_until: the last day the data is kept (YYYY-MM-DD), as the town set it; NULL means the
-- default, one year after period_end (server/owner_data/retention.py), so a contract whose end moves keeps
-- the default with it. owner_data_deleted_at: when the owners' names, addresses, postal codes and the
-- answers' contact details were deleted (NULL: not deleted); who did it and how many rows are in the audit
-- log (owner_data.delete). The anonymous facts (candidates, outcomes, letters, answers without contact)
-- stay, so the report still reconciles. The same SQL on PostgreSQL.
ALTER TABLE survey_contracts ADD COLUMN owner_data_keep_until TEXT;
ALTER TABLE survey_contracts ADD COLUMN owner_data_deleted_at TEXT;
