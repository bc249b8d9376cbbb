"""The 利活用判定 for the survey report: each house's class (server/rubrics/reuse.py) and the criteria
table printed from the contract form's `[reuse]` rules, so the printed table always matches the rules."""

from __future__ import annotations

import reports.model as m
from server.rubrics.model import FLAG_URGENCIES, Rubric
from server.rubrics.results import STATUTORY_VERDICTS
from server.rubrics.reuse import judge_reuse
from server.rubrics.reuse_model import REUSE_CLASSES, ReuseRule

UNDETERMINED_RULE = m.ReuseCondition(
    reason="除却の条件のどれかに当たるかどうか分からないとき、または修繕の条件のどれにも当たらず、そのどれかに"
           "当たるかどうか分からないとき（外から確認できない・台帳にないなど。分からない項目を理由に記載）")
AS_IS_RULE = m.ReuseCondition(reason="除却・修繕のどの条件にも当たらないと、外観と台帳から確認できたとき")


def reuse_of(rubric: Rubric, answers: dict, statutory: dict | None, flags: list[dict],
             built_on: str | None) -> m.Reuse:
    found = judge_reuse(rubric, answers, statutory, flags, built_on)
    return m.Reuse(label=found.label, reasons=found.reasons)


def reuse_criteria(rubric: Rubric) -> m.ReuseCriteria:
    rules = rubric.reuse
    assert rules is not None

    def conditions(part: list[ReuseRule]) -> list[m.ReuseCondition]:
        return [m.ReuseCondition(reason=r.reason, test=rule_test(rubric, r)) for r in part]

    classes = [
        m.ReuseCriterion(label=REUSE_CLASSES["demolish"], conditions=conditions(rules.demolish)),
        m.ReuseCriterion(label=REUSE_CLASSES["repair"], conditions=conditions(rules.repair)),
        m.ReuseCriterion(label=REUSE_CLASSES["as_is"], conditions=[AS_IS_RULE]),
        m.ReuseCriterion(label=REUSE_CLASSES["undetermined"], conditions=[UNDETERMINED_RULE]),
    ]
    return m.ReuseCriteria(label=rules.label, caveat=rules.caveat, seismic_basis=rules.seismic_basis,
                           classes=classes, sources=list(rules.sources),
                           labels=[REUSE_CLASSES[k] for k in ("as_is", "repair", "demolish", "undetermined")])


def rule_test(rubric: Rubric, rule: ReuseRule) -> str:
    """What the rule reads, in words made from its data (thresholds, items, options, findings)."""
    if rule.statutory is not None:
        verdicts = {**STATUTORY_VERDICTS, "not_applicable": rubric.scoring.statutory.not_applicable}
        return "不良度（別表第1）の判定が " + "・".join(verdicts[v] for v in rule.statutory)
    if rule.flags is not None:
        labels = {f.key: f.label for f in rubric.scoring.flags}
        return "所見：" + "／".join(labels.get(k, k) for k in rule.flags)
    if rule.urgency is not None:
        return "所見の緊急度が " + "・".join(FLAG_URGENCIES[u] for u in rule.urgency)
    if rule.item is not None:
        item = rubric.item(rule.item)
        chosen = [o.label for o in item.options if any(type(o.value) is type(v) and o.value == v for v in rule.in_)]
        return f"{item.label}：" + "／".join(chosen)
    if rule.category is not None:
        label = next(c.label for c in rubric.scoring.categories if c.key == rule.category)
        return f"不良度（別表第1）{label} の下限（外から見えた評点）が {rule.at_least} 以上"
    d = rubric.reuse.seismic_from
    return f"台帳の建築年月日が {d.year}年{d.month}月{d.day}日 より前"
