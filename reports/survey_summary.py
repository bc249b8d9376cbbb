"""Counts for the survey report's summary page: by vacancy likelihood, rank, district and flag."""

from collections import Counter
from dataclasses import dataclass

from reports.model import URGENCIES, SurveyReport, SurveyRow

LIKELIHOODS = ("高", "中", "低", "居住中", "更地・建替中", "判断不能")


@dataclass(frozen=True)
class DistrictCounts:
    district: str
    total: int
    by_likelihood: dict[str, int]
    by_rank: dict[str, int]


@dataclass(frozen=True)
class SurveySummary:
    total: int
    by_likelihood: dict[str, int]  # every LIKELIHOODS key
    by_rank: dict[str, int]  # in the municipality's rank order; unknown ranks appended
    by_district: list[DistrictCounts]  # in order of first appearance
    flags: dict[tuple[str, str], int]  # (category, urgency) → properties with such a finding
    cross: dict[tuple[str, str], int]  # (likelihood, rank) → properties


def rank_order(report: SurveyReport) -> list[str]:
    known = [r.rank for r in report.ranks]
    extra = [row.rank for row in report.rows if row.rank not in known]
    return known + list(dict.fromkeys(extra))


def flag_categories(report: SurveyReport) -> list[str]:
    """The declared categories, then any others the rows use (sorted), so no flag is dropped."""
    declared = list(report.flag_categories)
    return declared + sorted({f.category for row in report.rows for f in row.flags} - set(declared))


# The statutory verdicts' printing order where they are tabulated: the worst first (the engine's codes).
STATUTORY_ORDER = ("defective", "undetermined", "not_defective", "not_applicable")


def statutory_class(row: SurveyRow) -> str:
    """What the summary counts a house's 不良度（別表第1） as: its verdict, or 算定なし with why (the form used)."""
    if row.statutory:
        return row.statutory.verdict
    return "算定なし（" + (row.form_note.split("。")[0] or "調査票に評定なし") + "）"


def statutory_classes(rows: list[SurveyRow]) -> list[str]:
    """Every statutory class the rows use: the verdicts worst first, then 算定なし (first seen first)."""
    rank = {code: n for n, code in enumerate(STATUTORY_ORDER)}
    ordered = sorted(rows, key=lambda r: rank.get(r.statutory.verdict_code, len(rank)) if r.statutory else len(rank) + 1)
    return list(dict.fromkeys(statutory_class(r) for r in ordered))


def summarise(report: SurveyReport) -> SurveySummary:
    ranks = rank_order(report)
    districts: dict[str, list[SurveyRow]] = {}
    for row in report.rows:
        districts.setdefault(row.property.district or "（未設定）", []).append(row)
    categories = flag_categories(report)
    # A property counts once per (category, urgency), however many findings it has there.
    flag_hits = Counter(key for row in report.rows for key in {(f.category, f.urgency) for f in row.flags})
    cross = Counter((row.likelihood, row.rank) for row in report.rows)
    return SurveySummary(
        total=len(report.rows),
        by_likelihood=_count(report.rows, lambda r: r.likelihood, LIKELIHOODS),
        by_rank=_count(report.rows, lambda r: r.rank, ranks),
        by_district=[DistrictCounts(d, len(rows), _count(rows, lambda r: r.likelihood, LIKELIHOODS),
                                    _count(rows, lambda r: r.rank, ranks))
                     for d, rows in districts.items()],
        flags={(c, u): flag_hits[(c, u)] for c in categories for u in URGENCIES},
        cross={(lk, rk): cross[(lk, rk)] for lk in LIKELIHOODS for rk in ranks},
    )


def _count(rows, key, order) -> dict[str, int]:
    counts = Counter(key(r) for r in rows)
    return {k: counts[k] for k in order}
