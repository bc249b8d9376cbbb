"""The survey as an ESRI Shapefile for the municipality's 統合型GIS, zipped with its field-name table.

Points in JGD2011 geographic coordinates (EPSG:6668), longitude/latitude in degrees as the houses are
stored (the phone's GNSS positions; JGD2011 and WGS 84 agree well within a house's size). The .prj is
the ESRI WKT of JGD2011, which is what ArcGIS and QGIS write and read beside a .shp:
  GEOGCS "GCS_JGD_2011" with DATUM "D_JGD_2011" and SPHEROID "GRS_1980",6378137.0,298.257222101 —
  the datum as epsg.io gives its ESRI WKT (https://epsg.io/1128-datum), named in the same pattern as
  epsg.io's ESRI WKT of JGD2000 (GCS_JGD_2000, https://epsg.io/4612); EPSG:6668 is JGD2011's
  geographic 2D CRS, replacing JGD2000 (4612) from 2011-10-21 (https://epsg.io/6668).
Attributes are CP932 (the .cpg says so), field names at most 10 bytes in CP932 (the dBASE limit), and
属性名一覧.csv beside them maps each short name to the CSV's column and says what it means.
A house without coordinates keeps its record with a null shape, as in the GeoJSON.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime, time

import shapefile

from reports.model import SurveyReport
from reports.survey_export import TO_CP932, CsvEncodingError, encodes_in_cp932
from reports.survey_table import REUSE_COLUMNS, survey_records

PRJ_JGD2011 = ('GEOGCS["GCS_JGD_2011",DATUM["D_JGD_2011",SPHEROID["GRS_1980",6378137.0,298.257222101]],'
               'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')
CPG = "CP932"
FIELD_TABLE_NAME = "属性名一覧.csv"
TEXT_BYTES = 254  # the longest dBASE character field
CUT_MARK = "…"


class ShapeField:
    """One attribute: its short name (≤ 10 bytes in CP932), the CSV column it copies, its dBASE type and
    what it means."""

    def __init__(self, name: str, column: str, meaning: str, kind: str = "C", size: int = TEXT_BYTES,
                 decimals: int = 0):
        self.name, self.column, self.meaning = name, column, meaning
        self.kind, self.size, self.decimals = kind, size, decimals


FIELDS = [
    ShapeField("整理番号", "整理番号", "契約内で家屋を識別する番号（CSV・写真ZIPと同じ）", size=10),
    ShapeField("団体コード", "団体コード", "地方公共団体コード", size=6),
    ShapeField("契約番号", "契約番号", "調査契約の番号", size=50),
    ShapeField("台帳番号", "台帳番号", "自治体の台帳の番号", size=50),
    ShapeField("地番", "地番", "地番", size=100),
    ShapeField("家屋番号", "家屋番号", "家屋番号", size=50),
    ShapeField("所在地", "所在地", "所在地（住所）"),
    ShapeField("大字町丁目", "大字・町丁目", "大字・町丁目", size=100),
    ShapeField("緯度", "緯度", "緯度（JGD2011、度）", "N", 12, 6),
    ShapeField("経度", "経度", "経度（JGD2011、度）", "N", 12, 6),
    ShapeField("建物用途", "建物用途", "台帳の建物用途", size=50),
    ShapeField("構造", "構造", "台帳の構造", size=50),
    ShapeField("階数", "階数", "台帳の階数", "N", 3, 0),
    ShapeField("調査日", "調査日時", "外観調査の日（日本時間）", "D", 8),
    ShapeField("調査票の版", "調査票の版", "調査に使った調査票の版", size=10),
    ShapeField("空家可能性", "現況・空き家の可能性", "外観調査で見た空き家の可能性（高・中・低）", size=20),
    ShapeField("不良度下限", "不良度（別表第1）下限",
               "住宅地区改良法施行規則 別表第1 の不良度：外から確認できた評点の合計", "N", 4, 0),
    ShapeField("不良度上限", "不良度（別表第1）上限",
               "同：外から確認できない項目が最大の評点だった場合の合計", "N", 4, 0),
    ShapeField("不良度判定", "不良度（別表第1）の判定", "不良度の範囲から言えること（算定なしを含む）", size=100),
    ShapeField("優先度", "優先度", "報告書の優先度（所見の緊急度・不良度・空き家の可能性から）", size=50),
    ShapeField("建築年月日", "建築年月日（台帳）", "台帳の建築年月日（与えられた精度のまま）", size=10),
    ShapeField("活用可能性", "活用可能性（外観からの目安）",
               "利活用判定の区分（外観と台帳からの目安。資産価値の評価ではない）", size=30),
    ShapeField("活用理由", "活用可能性の理由", "利活用判定の区分を与えた規則（調査票の定め）"),
    ShapeField("所見緊急度", "最も急ぐ所見の緊急度", "所見のうち最も急ぐものの緊急度", size=10),
    ShapeField("調査員", "調査員", "外観調査をした配達員", size=50),
    ShapeField("写真枚数", "写真枚数", "承認済みの写真の枚数（写真ZIPに同梱）", "N", 3, 0),
]


class ShapefileEncodingError(CsvEncodingError):
    """Some attribute holds characters CP932 cannot represent (the GeoJSON, in UTF-8, carries them)."""

    def __init__(self, problems: list[tuple[int, str, str, str]]):
        super().__init__("Shapefile（CP932）", problems)
        listed = "、".join(f"整理番号 {ref}「{col}」の「{chars}」" for _, ref, col, chars in problems[:10])
        more = f" ほか{len(problems) - 10}件" if len(problems) > 10 else ""
        self.args = (f"Shapefile の属性は CP932 で書くため、表せない文字があります: {listed}{more}。"
                     "GeoJSON（UTF-8）で出力するか、該当する文字を置き換えてください。",)

    def __str__(self) -> str:
        return self.args[0]


def _fit(text: str, size: int) -> str:
    """Text cut to `size` bytes of CP932, ending in … when cut (the CSV carries it whole). A character CP932
    lacks counts as one byte here; shapefile_records refuses it afterwards."""
    if len(text.encode("cp932", "replace")) <= size:
        return text
    mark = len(CUT_MARK.encode("cp932"))
    while len(text.encode("cp932", "replace")) > size - mark:
        text = text[:-1]
    return text + CUT_MARK


def _value(field: ShapeField, value, surveyed_at: datetime):
    if field.kind == "D":
        return surveyed_at.date()
    if field.kind == "N":
        return value
    return _fit(("" if value is None else str(value)).translate(TO_CP932), field.size)


def shape_fields(report: SurveyReport) -> list[ShapeField]:
    """The attributes of this report: the 利活用判定's only when the contract's form judges reuse (as the CSV)."""
    return [f for f in FIELDS if report.reuse or f.column not in REUSE_COLUMNS]


def shapefile_records(report: SurveyReport) -> list[tuple[float | None, float | None, list]]:
    """(lon, lat, attribute values in shape_fields order) per house; raises ShapefileEncodingError naming
    every cell CP932 cannot hold."""
    out, problems = [], []
    fields = shape_fields(report)
    for row, rec in zip(report.rows, survey_records(report)):
        values = [_value(f, rec.get(f.column), row.surveyed_at) for f in fields]
        for f, v in zip(fields, values):
            if f.kind == "C" and not encodes_in_cp932(v):
                problems.append((0, row.ref, f.column, "".join(dict.fromkeys(c for c in v if not encodes_in_cp932(c)))))
        out.append((rec["経度"], rec["緯度"], values))
    if problems:
        raise ShapefileEncodingError(problems)
    return out


def field_table_csv(report: SurveyReport) -> bytes:
    """属性名一覧.csv: 属性名 (as in the .dbf) → CSVの列名 → 意味, UTF-8 with BOM (Excel opens it)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["属性名", "CSVの列名", "型", "意味"])
    kinds = {"C": "文字", "N": "数値", "D": "日付"}
    for f in shape_fields(report):
        writer.writerow([f.name, f.column, kinds[f.kind], f.meaning])
    writer.writerow(["（座標）", "経度・緯度", "点", "JGD2011 地理座標（EPSG:6668）の経度・緯度。位置のない家屋は形状なし（null）"])
    return buf.getvalue().encode("utf-8-sig")


def survey_shapefile_files(report: SurveyReport, base_name: str) -> dict[str, bytes]:
    """File name → content: base_name.shp/.shx/.dbf/.prj/.cpg and 属性名一覧.csv (what the ZIP holds)."""
    records = shapefile_records(report)
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POINT, encoding="cp932") as writer:
        for f in shape_fields(report):
            writer.field(f.name, f.kind, f.size, f.decimals)
        for lon, lat, values in records:
            if lon is None or lat is None:
                writer.null()
            else:
                writer.point(lon, lat)
            writer.record(*values)
    return {f"{base_name}.shp": shp.getvalue(), f"{base_name}.shx": shx.getvalue(), f"{base_name}.dbf": dbf.getvalue(),
            f"{base_name}.prj": PRJ_JGD2011.encode("ascii"), f"{base_name}.cpg": CPG.encode("ascii"),
            FIELD_TABLE_NAME: field_table_csv(report)}


def survey_shapefile_zip(report: SurveyReport, base_name: str) -> bytes:
    """A ZIP of base_name.shp/.shx/.dbf/.prj/.cpg and 属性名一覧.csv."""
    stamp = datetime.combine(report.issued_on, time()).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in survey_shapefile_files(report, base_name).items():
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
