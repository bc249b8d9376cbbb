"""From approved survey records to the `reports` input model of the 空き家調査報告書: one row per house
(the form the visit used, its statutory range under the rule the report states, 台帳と相違), the ranks of
every form the contract's visits used, the 判定基準表 and the blank form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import aiosqlite
import msgspec

import reports.model as m
from server.core import problems
from server.documents import queries as q
from server.documents.build.parts import (
    family_name, jst, option_label, photo_files, property_of, report_photos, rubric_of,
)
from server.inspections import approved
from server.inspections.approved import ApprovedVisit
from server.photos.store import PhotoStore
from server.properties.ledger_check import ledger_differences
from server.rubrics import InvalidAnswers, RubricRegistry, score
from server.rubrics.model import Rubric
from server.survey_candidates.outcomes import LABELS, ORDER, reconcile, surveyed_houses
from server.survey_candidates.queries import candidates_of_contract, contract_ref
from server.documents.reuse import reuse_criteria, reuse_of
from reports.survey_summary import statutory_class, statutory_classes
from server.owner_survey.report import NOT_IN_REPORT, NOT_JUDGED, HouseClasses, owner_survey_tally

FLAG_CATEGORY = {"safety": "保安上危険", "sanitation": "衛生上有害", "landscape": "景観",
                 "living_environment": "周辺の生活環境"}


async def survey_report(conn: aiosqlite.Connection, rubrics: RubricRegistry, store: PhotoStore,
                        contract_id: int) -> m.SurveyReport:
    c = await q.contract(conn, contract_id)
    if c is None:
        raise problems.NOT_FOUND("contract")
    rubric = rubrics.get(c["rubric_id"], c["rubric_version"])
    visits = await approved.contract_survey_results(conn, contract_id, c["rubric_id"])
    house_rows = await q.houses(conn, [v.property_id for v in visits])
    photos_by = await q.photos_of(conn, [v.id for v in visits])
    files = await photo_files(store, photos_by)
    refs = await q.contract_refs(conn, contract_id)
    office = await q.office(conn, c["office_code"])
    ordered = sorted(visits, key=lambda v: refs.get(v.property_id, 0))
    judged = rubric is not None and rubric.reuse is not None  # the 利活用判定 when the contract's form has it
    rows = [survey_row(refs.get(v.property_id, 0), rubric_of(rubrics, v), v, house_rows[v.property_id],
                        photos_by.get(v.id, []), files, contract=rubric, judged=judged)
            for v in ordered]
    # The contract's form first, then any older versions its visits used (a contract may hold both).
    used = list({(r.id, r.version): r for r in [rubric, *(rubric_of(rubrics, v) for v in ordered)] if r}.values())
    latest = max((v.reviewed_at or v.finished_at for v in visits), default=c["period_start"])
    remaining = c["property_count"] - len(rows)
    return m.SurveyReport(
        contract=m.Contract(number=c["contract_no"], title=c["title"], municipality=c["municipality"],
                            municipality_code=c["municipality_code"],
                            period_start=date.fromisoformat(c["period_start"]),
                            period_end=date.fromisoformat(c["period_end"]),
                            contractor=f"日本郵便株式会社 {office.name}" if office else "日本郵便株式会社",
                            contractor_address=office.address if office else "",
                            houses_in_area=c["houses_in_area"]),
        issued_on=jst(latest).date() if "T" in latest else date.fromisoformat(latest),
        rubric_id=c["rubric_id"], rubric_version=str(c["rubric_version"]),
        rubric_title=rubric.title if rubric else c["rubric_id"],
        ranks=list({d.rank: d for r in used for d in rank_definitions(r, rubric)}.values()),
        point_categories=[cat.label for cat in rubric.scoring.categories] if rubric else [],
        method_notes=_method_notes(len(rows), remaining),
        rows=rows,
        item_columns=list(dict.fromkeys(item.label for r in used for item in r.all_items() if item.key != _COMMENT)),
        criteria=criteria(rubric) if rubric else [],
        statutory_source=STATUTORY_SOURCE if rubric and rubric.scoring.statutory else "",
        blank_form=blank_form(rubric) if rubric else [],
        comparison=await _survey_comparison(conn, rubrics, c),
        not_included=max(remaining, 0),
        candidates=await candidate_tally(conn, contract_id),
        reuse=reuse_criteria(rubric) if judged else None,
        owner_survey=await owner_survey_tally(conn, contract_id, *_house_classes(ordered, rows, judged and rubric)),
    )


def _house_classes(visits: list[ApprovedVisit], rows: list[m.SurveyRow], rubric: Rubric | None
                   ) -> tuple[HouseClasses, HouseClasses]:
    """Each house's 利活用判定 (when `rubric` judges reuse) and 不良度 class, for the owners' answers' cross-tabs."""
    reuse = HouseClasses({v.property_id: row.reuse.label for v, row in zip(visits, rows) if row.reuse},
                         reuse_criteria(rubric).labels if rubric else [], NOT_JUDGED)
    statutory = HouseClasses({v.property_id: statutory_class(row) for v, row in zip(visits, rows)},
                             statutory_classes(rows), NOT_IN_REPORT)
    return reuse, statutory


async def candidate_tally(conn: aiosqlite.Connection, contract_id: int) -> m.CandidateTally | None:
    """候補の抽出と結果の内訳 (server/survey_candidates/outcomes.py), None for a contract without lists."""
    candidates = await candidates_of_contract(conn, None, contract_id)
    if not candidates:
        return None
    t = reconcile(candidates, await surveyed_houses(conn, await contract_ref(conn, None, contract_id)))
    return m.CandidateTally(
        total=t.total, outcomes=[(LABELS[key], t.counts[key]) for key in ORDER],
        surveyed_by_likelihood=list(t.surveyed_by_likelihood.items()) if t.counts["surveyed"] else [],
        sources=sorted(t.sources.items(), key=lambda kv: -kv[1]), several_sources=t.several_sources,
        excluded_reasons=sorted(t.excluded_reasons.items(), key=lambda kv: -kv[1]), queued=t.queued)


_COMMENT = "comment"  # the free text item: printed once, as コメント, never again as an answer column


def _score_label(rubric: Rubric) -> str:
    """What the row's total is called: the rubric's name for it, or 合計点（第N版） for a form without one
    (never 不良度: only 別表第1 gives a 不良度)."""
    return rubric.scoring.total_label or f"合計点（第{rubric.version}版）"


def _same_ranks(rubric: Rubric, contract: Rubric | None) -> bool:
    """Whether `rubric` ranks by the contract's form's scheme: the same form, or one whose scores and rank bands
    are the same (v3 adds only unscored items to v2), so its A is the contract's A."""
    if contract is None:
        return False
    return rubric.version == contract.version or (
        rubric.scoring.categories == contract.scoring.categories and rubric.scoring.ranks == contract.scoring.ranks
        and rubric.scoring.multipliers == contract.scoring.multipliers
        and rubric.scoring.total_label == contract.scoring.total_label)


def _rank_code(rubric: Rubric, code: str, contract: Rubric | None) -> str:
    """An older form's rank keeps its version beside it, so A of two schemes is never one column."""
    return code if _same_ranks(rubric, contract) or not code else f"{code}（第{rubric.version}版）"


def _rank_label(rubric: Rubric, label: str) -> str:
    # A form without the statutory score called its total 不良度 in its rank labels: say what it is.
    return label if rubric.scoring.statutory else label.replace("不良度", "合計点")


def rank_definitions(rubric: Rubric, contract: Rubric | None) -> list[m.RankDefinition]:
    return [m.RankDefinition(rank=_rank_code(rubric, r.code, contract), label=_rank_label(rubric, r.label),
                             min=r.min, scheme=_score_label(rubric)) for r in rubric.scoring.ranks]


def _form_note(rubric: Rubric) -> str:
    if rubric.scoring.statutory:
        return ""
    return f"第{rubric.version}版の調査票による。不良度（別表第1）は算定していません"


STATUTORY_SOURCE = "住宅地区改良法施行規則（昭和35年建設省令第10号）第1条・別表第1"


def criteria(rubric: Rubric) -> list[m.Criterion]:
    """The 判定基準表: every option that scores in a statutory category, by category in declared order."""
    spec = rubric.scoring.statutory
    if spec is None:
        return []
    categories = {c.key: c for c in rubric.scoring.categories}
    out = []
    for key in spec.categories:
        for item in rubric.all_items():
            for option in item.options:
                if option.points.get(key):
                    out.append(m.Criterion(category=categories[key].label, cap=categories[key].cap, item=item.label,
                                           content=option.label, points=option.points[key]))
    return out


def blank_form(rubric: Rubric) -> list[m.FormItem]:
    sections = {item.key: section.title for section in rubric.sections for item in section.items}
    return [m.FormItem(section=sections[item.key], label=item.label,
                       choices=[o.label for o in item.options] if item.type in ("choice", "multi", "boolean") else [],
                       note=item.help or "") for item in rubric.all_items()]


async def _survey_comparison(conn: aiosqlite.Connection, rubrics: RubricRegistry, c: dict) -> m.Comparison | None:
    """The same municipality's latest earlier survey contract (ended before this one began), if any."""
    earlier = await q.earlier_contract(conn, c["municipality_code"], c["period_start"])
    if earlier is None:
        return None
    visits = await approved.contract_survey_results(conn, earlier["id"], earlier["rubric_id"],
                                                    until=earlier["period_end"])
    houses = await q.houses(conn, [v.property_id for v in visits])
    refs = await q.contract_refs(conn, earlier["id"])
    results = {}
    for v in visits:
        state = _CURRENT_STATE.get(v.answers.get("current_state"))
        statutory = (v.result.get("statutory") or {}).get("verdict_label", "")
        results[houses[v.property_id].address] = m.EarlierResult(
            address=houses[v.property_id].address, ref=f"{refs.get(v.property_id, 0):04d}",
            likelihood=state or v.result["judgements"].get("vacancy_likelihood", "低"),
            rank=v.result.get("rank") or "", statutory=statutory)
    removed = await q.removed_addresses(conn, earlier["id"])
    return m.Comparison(earlier_title=earlier["title"], earlier_period_end=date.fromisoformat(earlier["period_end"]),
                        earlier=results, removed=removed)


def _method_notes(surveyed: int, remaining: int) -> list[str]:
    notes = ["調査は公道から目視できる範囲に限って行い、敷地内への立ち入りはしていません。",
             "不良度は住宅地区改良法施行規則（昭和35年建設省令第10号）第1条・別表第1（鉄筋コンクリート造・"
             "ブロック造以外の住宅）の評定項目と評点によります。道路から確認できない評定項目は「外から確認できない」"
             "とし、不良度を幅（下限〜上限）で示します。",
             "所見は空家等対策の推進に関する特別措置法のガイドラインの4つの区分（保安上危険、衛生上有害、景観、"
             "周辺の生活環境）に分け、緊急度（至急・要確認・経過観察）を付けています。管理不全空家等・特定空家等に"
             "当たるかどうかは、市町村が現地を確認したうえで判断します。",
             "郵便局の担当者が確認（承認）した記録だけを掲載しています。"]
    if remaining > 0:
        notes.append(f"契約対象のうち {remaining} 件は未調査または確認中のため、本報告に含みません（掲載 {surveyed} 件）。")
    return notes


_URGENCY = {"urgent": "至急", "check": "要確認", "watch": "経過観察"}
_LEVEL_URGENCY = {"hazard": "至急", "action": "要確認", "notice": "経過観察"}  # v1 flags had a level only
_CURRENT_STATE = {"vacant_high": "高", "vacant_mid": "中", "vacant_low": "低", "occupied": "居住中",
                  "cleared": "更地・建替中", "unknown": "判断不能"}


def survey_row(ref: int, rubric: Rubric, visit: ApprovedVisit, house: q.HouseRow, photos: list[q.PhotoRow],
                files: dict[str, Path], *, contract: Rubric | None, judged: bool = False) -> m.SurveyRow:
    result = visit.result
    caps = {c.key: c.cap for c in rubric.scoring.categories}
    labels = {c.key: c.label for c in rubric.scoring.categories}
    statutory_keys = set(rubric.scoring.statutory.categories) if rubric.scoring.statutory else set()
    indicators, answers = [], {}
    for item in rubric.all_items():
        if item.key not in visit.answers or item.key == _COMMENT:
            continue
        if item.type not in ("choice", "multi", "boolean"):
            answers[item.label] = str(visit.answers[item.key])
            continue
        values = visit.answers[item.key] if item.type == "multi" else [visit.answers[item.key]]
        printed = []
        for value in values:
            label, severity = option_label(item, value)
            indicators.append(m.Observation(label=item.label, value=label, severity=severity))
            printed.append(label)
        answers[item.label] = "、".join(printed) or "なし"
    state = _CURRENT_STATE.get(visit.answers.get("current_state"))
    statutory_now = _statutory_now(rubric, visit)
    statutory = _statutory(rubric, statutory_now)
    rank = result.get("rank") or ""
    return m.SurveyRow(
        ref=f"{ref:04d}", property=property_of(house),
        likelihood=state or result["judgements"].get("vacancy_likelihood", "低"),
        rank=_rank_code(rubric, rank, contract), rank_label=_rank_label(rubric, result.get("rank_label") or ""),
        total_points=result["total"],
        points=[m.CategoryPoints(category=labels[k], points=v, max_points=caps.get(k))
                for k, v in result["points"].items() if k in labels and k not in statutory_keys],
        indicators=indicators,
        flags=[m.Flag(category=FLAG_CATEGORY[f["category"]],
                      urgency=_URGENCY.get(f.get("urgency")) or _LEVEL_URGENCY[f["level"]], label=f["label"])
               for f in result["flags"] if f.get("category") in FLAG_CATEGORY],
        comment=str(visit.answers.get("comment", "")), photos=report_photos(rubric, photos, files),
        surveyed_by=family_name(visit.carrier_name), surveyed_at=jst(visit.started_at),
        rubric_version=str(visit.rubric_version), score_label=_score_label(rubric),
        statutory=statutory, answers=answers, form_note=_form_note(rubric),
        ledger_differences=ledger_differences(
            house.building_use, house.structure, visit.answers,
            statutory_scored=statutory is not None and statutory.min is not None),
        reuse=reuse_of(rubric, visit.answers, statutory_now, result["flags"], house.built_on) if judged else None,
    )


def _statutory_now(rubric: Rubric, visit: ApprovedVisit) -> dict | None:
    """The statutory range of the visit's answers under the rule the report states (the form's rubric as it
    is now: 2(四)イ without a visible leak is 0〜15 also for v2 visits received before that was corrected);
    the range stored at receipt when the answers no longer fit the form."""
    if rubric.scoring.statutory is None:
        return None
    try:
        return msgspec.to_builtins(score(rubric, visit.answers).statutory)
    except InvalidAnswers:
        return visit.result.get("statutory")


def _statutory(rubric: Rubric, found: dict | None) -> m.StatutoryRange | None:
    if not found:
        return None
    labels = {c.key: (c.label, c.cap) for c in rubric.scoring.categories}
    return m.StatutoryRange(
        label=found["label"], verdict=found["verdict_label"], verdict_code=found["verdict"],
        min=found["min"], max=found["max"],
        categories=[m.StatutoryPoints(category=labels[k][0], min=v, max=found["max_points"][k], cap=labels[k][1])
                    for k, v in found["min_points"].items()],
        unseen=[rubric.item(k).label for k in found["unseen"] if rubric.item(k)])
