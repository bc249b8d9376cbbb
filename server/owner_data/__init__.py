"""Owners' personal data of a survey contract: how long it is kept and its deletion (issue 22: "the town
can delete them after the contract (a retention setting, default 1 year after the contract ends)").

The personal data are the owners from the 課税台帳 (candidate_owners: 氏名, 住所, 郵便番号, and the flag on
the postal code) and the contact details an owner wrote in an answer (owner_answers.answers' `contact`).
Deleting them keeps every anonymous fact (candidates, outcomes, letters sent and returned, answers without
the contact), so the report's counts stay as they were. queries.py holds the SQL, retention.py the rules
(who may, the default date, what is due)."""
