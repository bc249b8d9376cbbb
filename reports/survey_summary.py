"""Counts for the survey report's summary page: by vacancy likelihood, rank, district and flag."""

from collections import Counter
from dataclasses import dataclass

from reports.model import SurveyReport, SurveyRow

LIKELIHOODS = ("低", "中", "高")
FLAG_LEVELS = ("管理不全", "特定")


@dataclass(frozen=True)
class DistrictCounts:
    district: str
    total: int
    by_likelihood: dict[str, int]
    by_rank: dict[str, int]


@dataclass(frozen=True)
class SurveySummary:
    total: int
    by_likelihood: dict[str, int]  # 低/中/高, all three keys
    by_rank: dict[str, int]  # in the municipality's rank order; unknown ranks appended
    by_district: list[DistrictCounts]  # in order of first appearance
    flags: dict[tuple[str, str], int]  # (category, level) → properties with such a flag


def rank_order(report: SurveyReport) -> list[str]:
    known = [r.rank for r in report.ranks]
    extra = [row.rank for row in report.rows if row.rank not in known]
    return known + list(dict.fromkeys(extra))


def flag_categories(report: SurveyReport) -> list[str]:
    """The declared categories, then any others the rows use (sorted), so no flag is dropped."""
    declared = list(report.flag_categories)
    return declared + sorted({f.category for row in report.rows for f in row.flags} - set(declared))


def summarise(report: SurveyReport) -> SurveySummary:
    ranks = rank_order(report)
    districts: dict[str, list[SurveyRow]] = {}
    for row in report.rows:
        districts.setdefault(row.property.district or "（未設定）", []).append(row)
    categories = flag_categories(report)
    # A property counts once per (category, level), however many flags it has there.
    flag_hits = Counter(key for row in report.rows for key in {(f.category, f.level) for f in row.flags})
    return SurveySummary(
        total=len(report.rows),
        by_likelihood=_count(report.rows, lambda r: r.likelihood, LIKELIHOODS),
        by_rank=_count(report.rows, lambda r: r.rank, ranks),
        by_district=[DistrictCounts(d, len(rows), _count(rows, lambda r: r.likelihood, LIKELIHOODS),
                                    _count(rows, lambda r: r.rank, ranks))
                     for d, rows in districts.items()],
        flags={(c, lv): flag_hits[(c, lv)] for c in categories for lv in FLAG_LEVELS},
    )


def _count(rows, key, order) -> dict[str, int]:
    counts = Counter(key(r) for r in rows)
    return {k: counts[k] for k in order}
