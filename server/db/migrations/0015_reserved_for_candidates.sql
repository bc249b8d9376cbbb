-- Placeholder: number 0015 belongs to branch `cand` (candidate ledger data). Migrations are numbered
-- without gaps, so this empty step lets 0016 apply on its own branch. Delete this file when `cand`'s
-- 0015 is merged (a database that ran this placeholder then runs nothing for 0015: keep `cand`'s
-- 0015 safe to have skipped on such test databases, or reset them).
SELECT 1;
