"""The survey as a table: one record per property, Japanese column names.

CSV and GeoJSON share these records, so a municipal officer sees the same names in Excel
and in QGIS. Columns: identifiers (団体コード, 契約番号, 整理番号, 台帳番号, 地番, 家屋番号), the house,
the statutory 不良度 range (or why there is none: 調査票の注記), 台帳と相違, the 優先度, each form's own
score and rank in its own columns (危険度（自治体基準） of v2 apart from 合計点（第1版）), the findings by the
guideline's four categories with their urgency, one column per rubric item (its label as header,
report.item_columns), then the visit and its photo file names (as in the photo ZIP).
"""

from reports.dates import short_datetime
from reports.model import URGENCIES, SurveyReport, SurveyRow
from reports.survey_priority import priority
from reports.survey_summary import flag_categories

Value = str | int | float | None

LEAD_COLUMNS = ["団体コード", "契約番号", "整理番号", "台帳番号", "地番", "家屋番号", "所在地", "大字・町丁目",
                "緯度", "経度", "不動産ID", "建物用途", "構造", "階数", "調査票の版", "現況・空き家の可能性",
                "不良度（別表第1）下限", "不良度（別表第1）上限", "不良度（別表第1）の判定", "外から確認できない評定項目",
                "調査票の注記", "台帳と相違", "優先度"]
TAIL_COLUMNS = ["コメント", "調査員", "調査日時", "写真枚数", "写真ファイル名"]
NUMERIC_COLUMNS = {"緯度", "経度", "階数", "不良度（別表第1）下限", "不良度（別表第1）上限", "写真枚数"}


def score_schemes(report: SurveyReport) -> list[str]:
    """The names of the scores the rows carry (e.g. 危険度（自治体基準）, 合計点（第1版）), each its own columns."""
    named = [*(d.scheme for d in report.ranks if d.scheme), *(row.score_label for row in report.rows)]
    return list(dict.fromkeys(named))


def score_columns(scheme: str) -> list[str]:
    return [scheme, f"{scheme}のランク", f"{scheme}のランク区分"]


def numeric_columns(report: SurveyReport) -> set[str]:
    return NUMERIC_COLUMNS | set(score_schemes(report))


def findings_column(category: str) -> str:
    return f"所見（{category}）"


def item_column(label: str) -> str:
    return f"回答：{label}"


# Only when the contract's form judges reuse (a report without it keeps its columns as they were).
REUSE_COLUMNS = ["建築年月日（台帳）", "活用可能性（外観からの目安）", "活用可能性の理由"]


def survey_columns(report: SurveyReport) -> list[str]:
    return (LEAD_COLUMNS + (REUSE_COLUMNS if report.reuse else [])
            + [c for scheme in score_schemes(report) for c in score_columns(scheme)]
            + [findings_column(c) for c in flag_categories(report)] + ["最も急ぐ所見の緊急度"]
            + [item_column(label) for label in report.item_columns] + TAIL_COLUMNS)


_NOT_IN_FILE_NAMES = str.maketrans({c: "＿" for c in '\\/:*?"<>|'})


def photo_file_names(row: SurveyRow) -> list[str]:
    """整理番号_区分.jpg per photo in the slot's Japanese name (0001_全景.jpg; a second photo of a slot:
    0001_損傷箇所_2.jpg), as in the photo ZIP. Characters Windows refuses in a name become ＿."""
    names, seen = [], {}
    for photo in row.photos:
        seen[photo.slot_key] = seen.get(photo.slot_key, 0) + 1
        suffix = "" if seen[photo.slot_key] == 1 else f"_{seen[photo.slot_key]}"
        names.append(f"{row.ref}_{photo.slot_label.translate(_NOT_IN_FILE_NAMES)}{suffix}.jpg")
    return names


def survey_records(report: SurveyReport) -> list[dict[str, Value]]:
    """One dict per property, keys in survey_columns order, numbers as numbers, None when unknown."""
    categories = flag_categories(report)
    schemes = score_schemes(report)
    return [_record(report, row, categories, schemes) for row in report.rows]


def _number(x: float | None) -> int | float | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def _record(report: SurveyReport, row: SurveyRow, categories: list[str], schemes: list[str]) -> dict[str, Value]:
    pr, c, st = row.property, report.contract, row.statutory
    rec: dict[str, Value] = {
        "団体コード": c.municipality_code, "契約番号": c.number, "整理番号": row.ref, "台帳番号": pr.ledger_no,
        "地番": pr.chiban, "家屋番号": pr.kaoku_no, "所在地": pr.address, "大字・町丁目": pr.district,
        "緯度": None if pr.lat is None else round(pr.lat, 6),
        "経度": None if pr.lon is None else round(pr.lon, 6),
        "不動産ID": pr.real_estate_id, "建物用途": pr.building_use, "構造": pr.structure, "階数": pr.storeys,
        "調査票の版": f"第{row.rubric_version}版" if row.rubric_version else "", "現況・空き家の可能性": row.likelihood,
        "不良度（別表第1）下限": st.min if st else None, "不良度（別表第1）上限": st.max if st else None,
        "不良度（別表第1）の判定": st.verdict if st else "算定なし",
        "外から確認できない評定項目": "／".join(st.unseen) if st else "",
        "調査票の注記": row.form_note, "台帳と相違": "／".join(row.ledger_differences),
        "優先度": priority(row, report.ranks).label,
    }
    if report.reuse:
        rec.update({"建築年月日（台帳）": pr.built_on, "活用可能性（外観からの目安）": row.reuse.label if row.reuse else "",
                    "活用可能性の理由": "／".join(row.reuse.reasons) if row.reuse else ""})
    for scheme in schemes:
        mine = scheme == row.score_label
        score, rank, label = score_columns(scheme)
        rec.update({score: _number(row.total_points) if mine else None, rank: row.rank if mine else "",
                    label: row.rank_label if mine else ""})
    for category in categories:
        rec[findings_column(category)] = "／".join(
            f"【{f.urgency}】{f.label}" for f in sorted(row.flags, key=lambda f: URGENCIES.index(f.urgency))
            if f.category == category)
    rec["最も急ぐ所見の緊急度"] = min((f.urgency for f in row.flags), key=URGENCIES.index, default="")
    for label in report.item_columns:
        rec[item_column(label)] = row.answers.get(label, "")
    names = photo_file_names(row)
    rec.update({"コメント": row.comment, "調査員": row.surveyed_by,
                "調査日時": short_datetime(row.surveyed_at).replace("/", "-"), "写真枚数": len(row.photos),
                "写真ファイル名": " ".join(names)})
    return rec
