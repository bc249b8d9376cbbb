"""The survey as a table: one record per property, Japanese column names.

CSV and GeoJSON share these records, so a municipal officer sees the same names in
Excel and in QGIS. Column names are stable for a rubric version: fixed columns, then
one per point category (report.point_categories) and one per flag category and level
(report.flag_categories × 管理不全/特定), then the rest.
"""

from reports.dates import short_datetime
from reports.model import SurveyReport, SurveyRow
from reports.survey_summary import FLAG_LEVELS, flag_categories

Value = str | int | float | None

LEAD_COLUMNS = ["整理番号", "所在地", "大字・町丁目", "緯度", "経度", "不動産ID", "建物用途", "構造", "階数",
                "空き家の可能性", "不良度ランク", "ランク区分", "不良度合計点"]
TAIL_COLUMNS = ["所見", "コメント", "調査員", "調査日時", "写真枚数"]
NUMERIC_COLUMNS = {"緯度", "経度", "階数", "不良度合計点", "写真枚数"}


def points_column(category: str) -> str:
    return f"不良度点数（{category}）"


def flag_column(category: str, level: str) -> str:
    return f"{level}の可能性（{category}）"


def survey_columns(report: SurveyReport) -> list[str]:
    return (LEAD_COLUMNS + [points_column(c) for c in report.point_categories]
            + [flag_column(c, lv) for c in flag_categories(report) for lv in FLAG_LEVELS] + TAIL_COLUMNS)


def survey_records(report: SurveyReport) -> list[dict[str, Value]]:
    """One dict per property, keys in survey_columns order, numbers as numbers, None when unknown."""
    categories = flag_categories(report)
    return [_record(report, row, categories) for row in report.rows]


def _number(x: float | None) -> int | float | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def _record(report: SurveyReport, row: SurveyRow, categories: list[str]) -> dict[str, Value]:
    pr = row.property
    points = {c.category: c.points for c in row.points}
    rec: dict[str, Value] = {
        "整理番号": row.ref, "所在地": pr.address, "大字・町丁目": pr.district,
        "緯度": None if pr.lat is None else round(pr.lat, 6),
        "経度": None if pr.lon is None else round(pr.lon, 6),
        "不動産ID": pr.real_estate_id, "建物用途": pr.building_use, "構造": pr.structure, "階数": pr.storeys,
        "空き家の可能性": row.likelihood, "不良度ランク": row.rank, "ランク区分": row.rank_label,
        "不良度合計点": _number(row.total_points),
    }
    for c in report.point_categories:
        rec[points_column(c)] = _number(points.get(c))
    for c in categories:
        for lv in FLAG_LEVELS:
            rec[flag_column(c, lv)] = "／".join(f.label for f in row.flags if f.category == c and f.level == lv)
    rec.update({
        "所見": "／".join(f"{o.label}：{o.value}" for o in row.indicators),
        "コメント": row.comment, "調査員": row.surveyed_by,
        "調査日時": short_datetime(row.surveyed_at).replace("/", "-"), "写真枚数": len(row.photos),
    })
    return rec
