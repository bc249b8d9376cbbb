"""利活用判定: the class of a surveyed house from what was observed and recorded, by the rubric's `[reuse]`.

Each rule is true, false or unknown (None). 「除却が望ましい」 when one of its rules holds; 「判定不能」 when
none holds but one is unknown (it might hold); then the same for 「修繕により活用可能」; 「そのまま活用可能」
only when every rule of both is known not to hold. An unknown input never becomes a class silently:
判定不能 lists each unknown input as its reason. Never a verdict on market value (see the rules' caveat).
"""

from __future__ import annotations

from datetime import date

import msgspec

from .model import Rubric
from .reuse_model import REUSE_CLASSES, ReuseRule, ReuseRules


class ReuseJudgement(msgspec.Struct, frozen=True):
    code: str  # demolish | repair | as_is | undetermined
    label: str  # 除却が望ましい / 修繕により活用可能 / そのまま活用可能 / 判定不能
    reasons: list[str]  # why: the rules that hold, or (判定不能) what is unknown


def judge_reuse(rubric: Rubric, answers: dict, statutory: dict | None, flags: list[dict],
                built_on: str | None) -> ReuseJudgement:
    """statutory: the range as score() gives it (verdict, min_points, ...), or None when the form has none;
    flags: the raised findings ({key, urgency, ...}); built_on: the ledger's 'YYYY', 'YYYY-MM', 'YYYY-MM-DD'."""
    rules = rubric.reuse
    if rules is None:
        return not_judged(f"第{rubric.version}版の調査票には利活用判定の項目（接道など）がありません")
    facts = _Facts(rubric, rules, answers, statutory, flags, built_on)
    for code in ("demolish", "repair"):
        held, unknown = [], []
        for rule in getattr(rules, code):
            outcome = facts.test(rule)
            if outcome is True:
                held.append(rule.reason)
            elif outcome is None:
                unknown.append(facts.why_unknown(rule))
        if held:
            return ReuseJudgement(code, REUSE_CLASSES[code], held)
        if unknown:  # it might hold: this class or a better one cannot be told apart
            return ReuseJudgement("undetermined", REUSE_CLASSES["undetermined"], list(dict.fromkeys(unknown)))
    return ReuseJudgement("as_is", REUSE_CLASSES["as_is"], ["除却・修繕の判定条件のいずれにも当たらない（外観から）"])


def not_judged(reason: str) -> ReuseJudgement:
    return ReuseJudgement("undetermined", REUSE_CLASSES["undetermined"], [reason])


def built_before(built_on: str | None, line: date) -> bool | None:
    """Whether a ledger date ('YYYY', 'YYYY-MM' or 'YYYY-MM-DD') is before `line`; None when the
    precision given straddles it (1981 or 1981-06 against 1981-06-15) or nothing is recorded."""
    if not built_on:
        return None
    parts = [int(x) for x in built_on.split("-")]
    if len(parts) == 3:
        return date(*parts) < line
    first = date(parts[0], parts[1] if len(parts) == 2 else 1, 1)
    last_month = parts[1] if len(parts) == 2 else 12
    last = date(parts[0] + (last_month == 12), last_month % 12 + 1, 1)  # the day after the period
    if last <= line:
        return True
    if first >= line:
        return False
    return None


class _Facts:
    """The inputs of one house, and each rule's outcome on them."""

    def __init__(self, rubric: Rubric, rules: ReuseRules, answers: dict, statutory: dict | None,
                 flags: list[dict], built_on: str | None):
        self.rubric, self.rules, self.answers = rubric, rules, answers
        self.statutory, self.built_on = statutory, built_on
        self.flag_keys = {f["key"] for f in flags}
        self.urgencies = {f.get("urgency") for f in flags}

    def test(self, rule: ReuseRule) -> bool | None:
        if rule.statutory is not None:
            verdict = (self.statutory or {}).get("verdict")
            if verdict is None or verdict == "undetermined":
                return None
            return verdict in rule.statutory
        if rule.flags is not None:
            return bool(self.flag_keys.intersection(rule.flags))
        if rule.urgency is not None:
            return bool(self.urgencies.intersection(rule.urgency))
        if rule.item is not None:
            answer = self.answers.get(rule.item)
            if answer is None or _contains(self.rules.unknown_answers.get(rule.item, []), answer):
                return None
            return _contains(rule.in_, answer)
        if rule.category is not None:
            st = self.statutory
            if st is None or st.get("verdict") == "not_applicable":
                return False  # no 別表第1 score for this house: the rule does not apply
            if st.get("min") is None:
                return None  # 判定不能（構造不明）: the table itself cannot be chosen
            return st["min_points"].get(rule.category, 0) >= rule.at_least
        return built_before(self.built_on, self.rules.seismic_from)

    def why_unknown(self, rule: ReuseRule) -> str:
        if rule.statutory is not None:
            label = (self.statutory or {}).get("verdict_label") or "算定なし"
            return f"不良度（別表第1）：{label}"
        if rule.category is not None:
            return f"不良度（別表第1）：{(self.statutory or {}).get('verdict_label', '算定なし')}"
        if rule.item is not None:
            item = self.rubric.item(rule.item)
            label = item.label if item else rule.item
            answer = self.answers.get(rule.item)
            if answer is None:
                return f"{label}：未回答"
            shown = next((o.label for o in item.options if _same(o.value, answer)), str(answer)) if item else answer
            return f"{label}：{shown}"
        if not self.built_on:
            return "建築年：台帳に記録なし"
        return f"建築年：台帳の「{self.built_on}」では新耐震基準（{_japanese_date(self.rules.seismic_from)}）の前後を判断できない"


def _same(a, b) -> bool:
    return type(a) is type(b) and a == b


def _contains(values, answer) -> bool:
    if isinstance(answer, list):  # a multi item: any chosen value
        return any(_contains(values, a) for a in answer)
    return any(_same(v, answer) for v in values)


def _japanese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
