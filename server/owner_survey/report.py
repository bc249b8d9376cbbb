"""The survey report's chapter 所有者意向調査 as plain data: letters sent and returned, answers, 回収率, the
answers' breakdown and cross-tabs of 今後の意向 with the house's 利活用判定 and its 不良度. Counts only, no owner names."""

from __future__ import annotations

import aiosqlite
import msgspec

from reports.letters_model import OwnerSurveyTally
from server.owner_survey import queries as q
from server.owner_survey.questionnaire import Question, shipped

NOT_JUDGED = "利活用判定なし"
NOT_IN_REPORT = "調査結果なし（未調査・未承認）"
NO_ANSWER = "無回答"


def _count(question: Question, answers: list[dict]) -> list[tuple[str, int]]:
    counts = dict.fromkeys((o.value for o in question.options), 0)
    missing = 0
    for answer in answers:
        given = answer.get(question.key)
        values = given if isinstance(given, list) else [given] if given else []
        missing += not values
        for value in values:
            if value in counts:
                counts[value] += 1
    out = [(question.label_of(v), n) for v, n in counts.items()]
    return out + [(NO_ANSWER, missing)] if missing else out


class HouseClasses(msgspec.Struct, frozen=True):
    """One way of classing the report's houses, for a cross-tab with 今後の意向: property id → class label, and
    the labels in printing order (each printed even with no answer); `missing` for a house the report lacks."""
    by_house: dict[str, str]
    labels: list[str]
    missing: str


def _cross(answers: list[q.AnswerRow], columns: list[str], classes: HouseClasses) -> list[tuple[str, list[int]]]:
    """Class → answers per intention column: every listed class, then any other class an answer falls in."""
    rows: dict[str, list[int]] = {label: [0] * len(columns) for label in classes.labels}
    for a in answers:
        label = classes.by_house.get(a.property_id or "", classes.missing)
        rows.setdefault(label, [0] * len(columns))
        if a.answers.get("intention") in columns:
            rows[label][columns.index(a.answers["intention"])] += 1
    return [(label, counts) for label, counts in rows.items() if classes.labels or any(counts)]


async def owner_survey_tally(conn: aiosqlite.Connection, contract_id: int, reuse: HouseClasses,
                             statutory: HouseClasses) -> OwnerSurveyTally | None:
    """None for a contract that sent no letters. `reuse`: each house's 利活用判定 class (no labels when the
    contract's form has no 利活用判定); `statutory`: each house's 不良度（別表第1） class as the report counts it."""
    t = await q.tally(conn, contract_id)
    if not t.sent:
        return None
    questionnaire = shipped()
    answers = [a.answers for a in t.answers]
    intention = questionnaire.question("intention")
    columns = [o.value for o in intention.options]
    return OwnerSurveyTally(
        sent=t.sent, returned=t.returned,
        returned_reasons=sorted(t.returned_reasons.items(), key=lambda kv: -kv[1]),
        answered=len(t.answers), answered_web=sum(a.channel == "web" for a in t.answers),
        answered_paper=sum(a.channel == "paper" for a in t.answers),
        intentions=_count(intention, answers), uses=_count(questionnaire.question("current_use"), answers),
        troubles=_count(questionnaire.question("troubles"), answers),
        akiya_bank=_count(questionnaire.question("akiya_bank"), answers),
        consented=sum(a.get("contact_consent") == "yes" for a in answers),
        cross_columns=[o.label for o in intention.options],
        cross_rows=_cross(t.answers, columns, reuse), statutory_cross_rows=_cross(t.answers, columns, statutory))
