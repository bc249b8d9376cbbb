"""The survey as CSV (for Excel) and GeoJSON (for the municipal GIS, e.g. QGIS).

CSV: one row per property, Japanese headers (survey_table), CRLF line ends, UTF-8 with
BOM by default so Excel opens it without garbling. "shift_jis" is produced as CP932
(Windows-31J), which is what Excel on Japanese Windows reads and writes as
"Shift_JIS": it also holds ①, ㈱, 髙 and ～, which strict Shift_JIS lacks. Characters
whose Unicode form differs between Mac/Unix input and CP932 (〜 − ‖ — ¢ £ ¬) are mapped
to their CP932 look-alikes; anything else that does not encode (𠮷) raises
CsvEncodingError naming each line, 整理番号 and column.

Text cells that begin with = + - @ get a leading ' so Excel never runs them as formulas.
"""

import csv
import io
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime, time

import msgspec

from reports.model import Photo, SurveyReport
from reports.survey_table import Value, numeric_columns, survey_columns, survey_records

_CP932_NAMES = {"shift_jis", "shift-jis", "sjis", "cp932", "windows-31j", "ms932"}
_UTF8_NAMES = {"utf-8-sig", "utf-8", "utf8"}
TO_CP932 = str.maketrans({"\u301c": "\uff5e", "\u2212": "\uff0d", "\u2016": "\u2225", "\u2014": "\u2015",
                           "\u00a2": "\uffe0", "\u00a3": "\uffe1", "\u00ac": "\uffe2"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CsvEncodingError(ValueError):
    """Some cells hold characters the requested encoding cannot represent."""

    def __init__(self, encoding: str, problems: list[tuple[int, str, str, str]]):
        self.problems = problems  # (line in the file, 整理番号, column, characters)
        listed = "、".join(f"{line}行目（整理番号 {ref}）「{col}」の「{chars}」" for line, ref, col, chars in problems[:10])
        more = f" ほか{len(problems) - 10}件" if len(problems) > 10 else ""
        super().__init__(f"{encoding} で表せない文字があります: {listed}{more}。"
                         "UTF-8（BOM付き）で出力するか、該当する文字を置き換えてください。")


def survey_csv(report: SurveyReport, encoding: str = "utf-8-sig") -> bytes:
    """The property list as CSV bytes. encoding: "utf-8-sig" (default), "utf-8" or "shift_jis" (CP932)."""
    return table_csv(survey_columns(report), survey_records(report), numeric_columns(report), encoding)


def table_csv(columns: list[str], records: list[dict[str, Value]], numeric: set[str], encoding: str) -> bytes:
    """Records (dicts keyed by `columns`, one of them 整理番号) as CSV bytes for Excel, as survey_csv says."""
    name = encoding.lower()
    if name not in _CP932_NAMES | _UTF8_NAMES:
        raise ValueError(f"対応していない文字コードです: {encoding}（utf-8-sig または shift_jis を指定してください）")
    rows = [[_cell(col, rec[col], numeric) for col in columns] for rec in records]
    if name in _CP932_NAMES:
        rows = [[v.translate(TO_CP932) for v in row] for row in rows]
        columns = [c.translate(TO_CP932) for c in columns]
        _check_cp932(columns, rows)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buf.getvalue().encode("cp932" if name in _CP932_NAMES else "utf-8-sig" if name == "utf-8-sig" else "utf-8")


def _cell(column: str, value: Value, numeric: set[str]) -> str:
    if value is None:
        return ""
    text = str(value)
    if column not in numeric and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _check_cp932(columns: list[str], rows: list[list[str]]) -> None:
    problems = []
    ref = columns.index("整理番号")
    for n, row in enumerate(rows, start=2):  # line 1 is the header
        for col, value in zip(columns, row):
            if not encodes_in_cp932(value):
                problems.append((n, row[ref], col, "".join(dict.fromkeys(c for c in value if not encodes_in_cp932(c)))))
    if problems:
        raise CsvEncodingError("Shift_JIS（CP932）", problems)


def encodes_in_cp932(text: str) -> bool:
    try:
        text.encode("cp932")
        return True
    except UnicodeEncodeError:
        return False


def survey_geojson(report: SurveyReport) -> bytes:
    """RFC 7946 FeatureCollection: Point [lon, lat] (WGS84) per property, properties named as the CSV columns.
    A property without coordinates keeps its feature with geometry null."""
    features = []
    for rec in survey_records(report):
        lon, lat = rec["経度"], rec["緯度"]
        geometry = None if lon is None or lat is None else {"type": "Point", "coordinates": [lon, lat]}
        features.append({"type": "Feature", "id": rec["整理番号"], "geometry": geometry, "properties": rec})
    return msgspec.json.encode({"type": "FeatureCollection", "features": features})


def survey_file_name(contract_id: int, kind: str, district: str = "") -> str:
    """One name per deliverable, so the UTF-8 and Shift_JIS lists never overwrite each other.
    kind: pdf | csv (UTF-8 with BOM) | csv_sjis | geojson | shp (Shapefile ZIP) | gis (the folder the CLI writes the
    Shapefile's files into) | zip (photos) | karte
    (空き家カルテ; `district` then carries the 整理番号 of a one-house カルテ)."""
    base = f"空き家調査報告書_{contract_id}"
    return {"pdf": f"{base}{'_' + district if district else ''}.pdf", "csv": f"{base}_一覧_UTF-8.csv",
            "csv_sjis": f"{base}_一覧_Shift_JIS.csv", "geojson": f"{base}.geojson",
            "shp": f"{base}_GIS_Shapefile.zip", "gis": f"{base}_GIS_Shapefile", "zip": f"{base}_写真.zip",
            "karte": f"空き家カルテ_{contract_id}{'_' + district if district else ''}.pdf"}[kind]


class _Sink:
    """A write-only file for zipfile that hands out what was written so far (no seek: zipfile then
    writes data descriptors, so the archive streams out while it is made)."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


PHOTO_INDEX_NAME = "写真一覧.csv"
PHOTO_INDEX_COLUMNS = ["ファイル名", "整理番号", "写真の区分", "撮影日時", "緯度", "経度", "位置の出所", "SHA-256"]


def photo_index_csv(report: SurveyReport) -> bytes:
    """One line per photo in the ZIP: its file, 整理番号, slot, 撮影日時 (EXIF, Japan time), position (the
    photo's GPS, else the phone's position at capture, with which it is) and the SHA-256 of the original
    as received, so the municipality can check each file is the one the carrier sent. UTF-8 with BOM."""
    from reports.survey_table import photo_file_names

    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(PHOTO_INDEX_COLUMNS)
    for row in report.rows:
        for name, photo in zip(photo_file_names(row), row.photos):
            writer.writerow([name, row.ref, photo.slot_label,
                             photo.taken_at.strftime("%Y-%m-%d %H:%M:%S") if photo.taken_at else "",
                             "" if photo.lat is None else f"{photo.lat:.6f}",
                             "" if photo.lon is None else f"{photo.lon:.6f}", photo.position_source, photo.sha256])
    return buf.getvalue().encode("utf-8-sig")


async def survey_photo_zip(report: SurveyReport, originals: Callable[[Photo], AsyncIterator[bytes]]
                           ) -> AsyncIterator[bytes]:
    """The originals of the report's photos as received (EXIF with 撮影日時 and GPS kept: it is the
    municipality's survey), yielded in chunks as the ZIP is made: 整理番号_区分.jpg as the CSV's 写真ファイル名
    column names them, then 写真一覧.csv. `originals(photo)` yields a photo's stored original. JPEGs are
    stored, not compressed again (they would not shrink)."""
    from reports.survey_table import photo_file_names

    def entries():
        for row in report.rows:
            for name, photo in zip(photo_file_names(row), row.photos):
                yield name, photo.taken_at or row.surveyed_at, originals(photo)
        yield PHOTO_INDEX_NAME, datetime.combine(report.issued_on, time()), photo_index_csv(report)

    async for data in zip_stream(entries()):
        yield data


ZipEntry = tuple[str, datetime, "bytes | AsyncIterator[bytes]"]


async def zip_stream(entries: Iterable[ZipEntry]) -> AsyncIterator[bytes]:
    """A ZIP (stored, not compressed) of (name, time, bytes or an async iterator of chunks), yielded in chunks
    as it is made."""
    import zipfile

    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, at, content in entries:
            info = zipfile.ZipInfo(name, date_time=at.timetuple()[:6])
            if isinstance(content, bytes):
                archive.writestr(info, content)
                continue
            with archive.open(info, "w", force_zip64=True) as target:
                async for chunk in content:
                    target.write(chunk)
                    if data := sink.drain():
                        yield data
    if data := sink.drain():
        yield data
