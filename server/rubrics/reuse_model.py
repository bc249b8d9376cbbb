"""The 利活用判定 rules of a survey rubric (`[reuse]`), as pydantic models: data the town can change.

A house is judged from what was observed and recorded, in three-valued logic (true, false, unknown):
the rules of 「除却が望ましい」 are read first, then those of 「修繕により活用可能」; a class is given only
when no unknown input could change it, otherwise 「判定不能」 with the unknown inputs as its reasons.
Reading them is server/rubrics/reuse.py; references between the rules and the form are checked in
server/rubrics/reuse_checks.py, so one pass lists every problem of a file.
"""

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# The classes, worst first. Fixed by the contract specification, not by a rubric.
REUSE_CLASSES = {
    "demolish": "除却が望ましい",
    "repair": "修繕により活用可能",
    "as_is": "そのまま活用可能",
    "undetermined": "判定不能",
}
# What a rule may test of the statutory 不良度 (the verdict the survey already computes). "undetermined"
# is not a value a rule may name: a range that straddles the threshold is unknown, never a match.
StatutoryVerdict = Literal["defective", "not_defective", "not_applicable"]
Urgency = Literal["urgent", "check", "watch"]
_KINDS = ("statutory", "flags", "urgency", "item", "category", "built_before_seismic")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ReuseRule(_Strict):
    """One condition and the reason printed when it holds. Exactly one kind of test:

    - `statutory = [...]`: the statutory verdict is one of these (a straddling range is unknown);
    - `flags = [...]`: one of these findings was raised;
    - `urgency = [...]`: a finding of one of these urgencies was raised;
    - `item` + `in`: the item was answered with one of these values (an answer listed in
      `[reuse] unknown_answers`, or no answer at all, is unknown);
    - `category` + `at_least`: the statutory category's points seen from the road (the range's lower
      end) are at least this many;
    - `built_before_seismic = true`: the ledger's 建築年月日 is before `seismic_from`.
    """

    reason: str = Field(min_length=1)
    statutory: list[StatutoryVerdict] | None = Field(default=None, min_length=1)
    flags: list[str] | None = Field(default=None, min_length=1)
    urgency: list[Urgency] | None = Field(default=None, min_length=1)
    item: str | None = None
    in_: list[str | bool] | None = Field(default=None, alias="in", min_length=1)
    category: str | None = None
    at_least: int | None = Field(default=None, ge=1)
    built_before_seismic: Literal[True] | None = None

    @model_validator(mode="after")
    def _one_kind_of_test(self):
        problems = []
        if (self.item is None) != (self.in_ is None):
            problems.append("item and in go together / item と in は組にして指定してください")
        if (self.category is None) != (self.at_least is None):
            problems.append("category and at_least go together / category と at_least は組にして指定してください")
        kinds = [k for k in _KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            problems.append(f"a rule tests exactly one of {', '.join(_KINDS)} (found: {', '.join(kinds) or 'none'})"
                            " / 条件は1つの種類だけにしてください")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class ReuseRules(_Strict):
    """`[reuse]`: the 利活用判定 of a survey rubric."""

    label: str = Field(default="活用可能性（外観からの目安）", min_length=1)
    # Printed above the criteria table and on every house sheet: what the class is and is not.
    caveat: str = Field(min_length=1)
    # 新耐震基準: buildings whose 建築確認 is on or after this date; the ledger gives a 建築年月日 only.
    seismic_from: date
    seismic_basis: str = Field(min_length=1)
    # Answers that say nothing (「外から確認できない」, 「接道なし・不明」): a rule on the item is unknown.
    unknown_answers: dict[str, list[str | bool]] = {}
    demolish: list[ReuseRule] = Field(min_length=1)
    repair: list[ReuseRule] = Field(min_length=1)
    # The source of each rule that cites one (e.g. 建築基準法第42条・第43条), printed under the table.
    sources: list[str] = []
