"""優先度: the order in which the report lists the houses, most pressing first.

1 a finding marked 至急, or 不良住宅 (the statutory minimum reaches 100);
2 不良度 判定不能 (the range straddles 100, or the structure is unknown);
3 onwards: the municipality's rank, its worst band first (the band with the highest lowest score),
  each form's scheme on its own (rank A of the first form and rank A of the second share a level).
Within a level, by 整理番号. PRIORITY_RULE says the same in the method section.
"""

from typing import NamedTuple

from reports.model import RankDefinition, SurveyRow

PRIORITY_RULE = ("優先度：① 至急の所見がある物件、又は不良住宅（不良度の下限が100以上）の物件、② 不良度が判定不能"
                 "（下限と上限が100をまたぐ、又は構造不明）の物件、③ 以下、自治体の基準によるランクの重い順"
                 "（点数の帯が高いランクほど先）。同じ優先度の中は整理番号の順です。物件の一覧表と物件ごとの調査票は"
                 "この順に並べています。")


class Priority(NamedTuple):
    level: int  # 1 is the most pressing
    label: str  # e.g. 1（至急・不良住宅）


def _rank_levels(ranks: list[RankDefinition]) -> dict[str, int]:
    """Rank code -> its place within its scheme, worst first (0 = the worst band)."""
    schemes: dict[str, list[RankDefinition]] = {}
    for r in ranks:
        schemes.setdefault(r.scheme, []).append(r)
    return {r.rank: n for bands in schemes.values()
            for n, r in enumerate(sorted(bands, key=lambda r: r.min, reverse=True))}


def priority(row: SurveyRow, ranks: list[RankDefinition]) -> Priority:
    urgent = any(f.urgency == "至急" for f in row.flags)
    code = row.statutory.verdict_code if row.statutory else ""
    if urgent or code == "defective":
        reasons = "・".join(x for x, on in (("至急", urgent), ("不良住宅", code == "defective")) if on)
        return Priority(1, f"1（{reasons}）")
    if code == "undetermined":
        return Priority(2, "2（判定不能）")
    levels = _rank_levels(ranks)
    worst = max(levels.values(), default=-1) + 1
    level = 3 + levels.get(row.rank, worst)
    return Priority(level, f"{level}（ランク{row.rank}）" if row.rank in levels else f"{level}（ランクなし）")


def by_priority(rows: list[SurveyRow], ranks: list[RankDefinition]) -> list[SurveyRow]:
    return sorted(rows, key=lambda row: (priority(row, ranks).level, row.ref))
