"""Survey candidates (候補の抽出): the houses a town's lists name for a 空家等実態調査 contract.

Not the "candidates" of server/contracts/candidates.py: those are houses a carrier reported from the
road (properties.status = 'candidate'), waiting for the office to confirm them as houses. A survey
candidate is a row of a town's list (水道の使用量, 固定資産課税台帳, 住民基本台帳, 通報, 目視…) for one
contract, matched to the town's known houses by address (address.py, matching.py), merged per house
with every list that named it as a reason, and ending in one outcome (outcomes.py). Its owner (from the
課税台帳) is personal data, kept apart and shown only as server/users/access.py says.
"""
