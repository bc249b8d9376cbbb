"""Each candidate's one outcome, and the reconciliation the survey report prints:

    候補 N = 調査 a + 居住中 b + 更地・建替中 c + 所在不明 d + 対象外 e + 未了 f

調査済 comes from the approved survey of the candidate's house in this contract (with the carrier's
observed 空き家の可能性 高/中/低: an observation from the road, never a verdict); the other outcomes are
the clerk's (server/survey_candidates/queries.py set_outcome, audited); a candidate with neither is 未了.
"""

from __future__ import annotations

import aiosqlite
import msgspec

from server.inspections import approved
from server.survey_candidates.queries import CLERK_OUTCOMES, ContractRef, SurveyCandidate

LIKELIHOOD = {"vacant_high": "高", "vacant_mid": "中", "vacant_low": "低"}
ORDER = ("surveyed", "occupied", "cleared", "not_located", "excluded", "open")
LABELS = {"surveyed": "調査済", **CLERK_OUTCOMES, "open": "未了"}


class Reconciliation(msgspec.Struct, frozen=True):
    total: int
    counts: dict[str, int]  # every key of ORDER
    surveyed_by_likelihood: dict[str, int]  # 高 / 中 / 低
    excluded_reasons: dict[str, int]
    sources: dict[str, int] = {}  # 抽出元 → candidates it named
    several_sources: int = 0
    queued: int = 0

    def holds(self) -> bool:
        return self.total == sum(self.counts.values())


async def surveyed_houses(conn: aiosqlite.Connection, contract: ContractRef) -> dict[str, str]:
    """property id → 空き家の可能性 (高/中/低) of each house with an approved survey in the contract."""
    visits = await approved.contract_survey_results(conn, contract.id, contract.rubric_id)
    out = {}
    for visit in visits:
        observed = LIKELIHOOD.get(visit.answers.get("current_state"))
        out[visit.property_id] = observed or visit.result.get("judgements", {}).get("vacancy_likelihood") or "低"
    return out


def outcome_of(candidate: SurveyCandidate, surveyed: dict[str, str]) -> tuple[str, str]:
    """(outcome key, label as printed): 調査済（空き家の可能性 高）, 居住中, 対象外（理由）, 未了 …"""
    if candidate.property_id and candidate.property_id in surveyed:
        return "surveyed", f"調査済（空き家の可能性 {surveyed[candidate.property_id]}）"
    if candidate.outcome:
        label = CLERK_OUTCOMES[candidate.outcome]
        return candidate.outcome, f"{label}（{candidate.outcome_reason}）" if candidate.outcome_reason else label
    return "open", "未了"


def reconcile(candidates: list[SurveyCandidate], surveyed: dict[str, str]) -> Reconciliation:
    counts = dict.fromkeys(ORDER, 0)
    likelihood = {"高": 0, "中": 0, "低": 0}
    reasons: dict[str, int] = {}
    for candidate in candidates:
        key, _ = outcome_of(candidate, surveyed)
        counts[key] += 1
        if key == "surveyed":
            likelihood[surveyed[candidate.property_id]] = likelihood.get(surveyed[candidate.property_id], 0) + 1
        if key == "excluded":
            reasons[candidate.outcome_reason] = reasons.get(candidate.outcome_reason, 0) + 1
    sources: dict[str, int] = {}
    for candidate in candidates:
        for source in dict.fromkeys(candidate.reasons):
            sources[source] = sources.get(source, 0) + 1
    return Reconciliation(len(candidates), counts, likelihood, reasons, sources,
                          sum(len(set(c.reasons)) > 1 for c in candidates),
                          sum(c.match_state == "ambiguous" for c in candidates))
