"""Survey candidates (候補の抽出): the houses a town's lists name for a 空家等実態調査 contract.

Not the "candidates" of server/contracts/candidates.py: those are houses a carrier reported from the
road (properties.status = 'candidate'), waiting for the office to confirm them as houses. A survey
candidate is a row of a town's list (水道の使用量, 固定資産課税台帳, 住民基本台帳, 通報, 目視…) for one
contract, matched to the town's known houses by address (address.py, matching.py), merged per house
with every list that named it as a reason, and ending in one outcome (outcomes.py). Its owner (from the
課税台帳) is personal data, kept apart and shown only as server/users/access.py says.

Why a town may hand the 課税台帳's owners over at all: 空家等対策の推進に関する特別措置法 第10条第1項
(as amended by 令和5年法律第50号, in force 2023-12-13): 「市町村長は、固定資産税の課税その他の事務のために
利用する目的で保有する情報であって氏名その他の空家等の所有者等に関するものについては、この法律の施行のために
必要な限度において、その保有に当たって特定された利用の目的以外の目的のために内部で利用することができる。」
It speaks of the town's internal use: giving the data to its contractor (the post office) is the town's
decision under its contract, not something this code assumes; the owners stay in one table, seen by few.
"""
