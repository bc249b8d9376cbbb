"""The 空き家バンク candidate list (reports/akiya_bank.py) from a survey contract's owner answers: houses whose
owner wants to sell or let (今後の意向 売却したい・賃貸したい) and asked for the 空き家バンク registration (登録を
希望する); the house's facts from the survey report's row and the town's candidate list; the owner's name,
address and written contact only where the owner agreed to be contacted (連絡してよい). For those who may see
the contract's owners only (server/users/access.py candidate_owner_condition); reading the owners is audited
(candidate_owners.akiya_bank, with how many were put in the list)."""

from __future__ import annotations

import aiosqlite

import reports.model as m
from server.core import audit
from server.core.clock import today_jst
from server.core.problems import not_found
from server.documents import queries as q
from server.owner_data.queries import CONTACT_KEY, deleted_on
from server.owner_data.retention import deleted_text
from server.owner_survey.queries import tally
from server.owner_survey.questionnaire import shipped
from server.rubrics import RubricRegistry
from server.survey_candidates.queries import candidates_of_contract, owners_of_contract, sees_owners_of
from server.users.queries import User

SELL_OR_LET = ("sell", "let")
WANTS_REGISTRATION = "yes"  # 空き家バンク登録の希望: 登録を希望する
CONSENTED = "yes"  # 連絡の同意: 連絡してよい
ROAD_ACCESS = "road_access"  # the rubric item 接道 (rubrics/municipal_survey.v3.toml)


def listed(answers: dict) -> bool:
    return answers.get("intention") in SELL_OR_LET and answers.get("akiya_bank") == WANTS_REGISTRATION


async def akiya_bank_list(conn: aiosqlite.Connection, actor: audit.Actor, user: User, rubrics: RubricRegistry,
                          report: m.SurveyReport, contract_id: int) -> m.AkiyaBankList:
    """In a write transaction (the owners' reading is audited); 404 for one who may not see the owners."""
    if not await sees_owners_of(conn, user, contract_id):
        raise not_found("空き家バンク候補一覧")
    answers = [a for a in (await tally(conn, contract_id)).answers if listed(a.answers)]
    candidates = {c.id: c for c in await candidates_of_contract(conn, user, contract_id)}
    refs = await q.contract_refs(conn, contract_id)
    rows = {row.ref: row for row in report.rows}
    consenting = {a.candidate_id for a in answers if a.answers.get("contact_consent") == CONSENTED}
    owners = {o.candidate_id: o for o in
              await owners_of_contract(conn, actor, user, contract_id, "akiya_bank", only=consenting)}
    gone = await deleted_on(conn, contract_id)
    questions = shipped()
    houses = []
    for a in answers:
        candidate = candidates[a.candidate_id]
        ref = f"{refs[a.property_id]:04d}" if a.property_id in refs else ""
        row = rows.get(ref)
        owner = owners.get(a.candidate_id)
        houses.append(m.AkiyaBankHouse(
            ref=ref if row else "", address=row.property.address if row else candidate.property_address or candidate.address,
            structure=(row.property.structure if row else "") or candidate.structure,
            built=(row.property.built_on if row else "") or (f"{candidate.built_year}（候補リスト）"
                                                              if candidate.built_year else ""),
            floor_area=candidate.floor_area, reuse=_reuse(row),
            statutory=_statutory(row), road_access=_road_access(rubrics, report, row),
            intention=questions.question("intention").label_of(a.answers["intention"]),
            akiya_bank=questions.question("akiya_bank").label_of(a.answers["akiya_bank"]),
            contact_consent=questions.question("contact_consent").label_of(a.answers.get("contact_consent", "")),
            owner_name=owner.name if owner else "", owner_address=owner.address if owner else "",
            owner_postal_code=_postal(owner.postal_code) if owner else "",
            contact=str(a.answers.get(CONTACT_KEY, "")) if a.candidate_id in consenting else "", survey=row))
    return m.AkiyaBankList(contract=report.contract, issued_on=today_jst(), houses=houses,
                           owner_data_note=deleted_text(gone) if gone else "")


def _postal(code: str) -> str:
    digits = "".join(ch for ch in code if ch.isdigit())
    return f"{digits[:3]}-{digits[3:]}" if len(digits) == 7 else code


def _reuse(row: m.SurveyRow | None) -> str:
    if row is None:
        return ""
    return row.reuse.label if row.reuse else "判定なし（この調査票には利活用判定がありません）"


def _statutory(row: m.SurveyRow | None) -> str:
    if row is None:
        return ""
    st = row.statutory
    if st is None:
        return "算定なし"
    return f"{st.min}〜{st.max}（{st.verdict}）" if st.min is not None else st.verdict


def _road_access(rubrics: RubricRegistry, report: m.SurveyReport, row: m.SurveyRow | None) -> str:
    if row is None:
        return ""
    rubric = rubrics.get(report.rubric_id, int(row.rubric_version or report.rubric_version))
    item = rubric.item(ROAD_ACCESS) if rubric else None
    return row.answers.get(item.label, "記録なし") if item else "記録なし（この調査票には接道の項目がありません）"
