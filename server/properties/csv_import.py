"""Import a municipality's list of properties from CSV (UTF-8 with or without BOM, or Shift_JIS).

Every bad row is reported with its row number and reason, and then nothing is imported.
Headers may be Japanese (as a municipal officer's Excel sheet has them) or English.
Cells are at most CSV_FIELD_MAX characters, addresses at most ADDRESS_MAX (server/core/limits.py).
"""

from __future__ import annotations

import csv
import io

import msgspec

from server.core.codes import normalize_real_estate_id
from server.properties.built_date import BuiltDateError, parse_built_on
from server.core.limits import ADDRESS_MAX, CSV_FIELD_MAX, capped
from server.core.control_chars import has_control_chars

# column name -> accepted headers
COLUMNS = {
    "address": ("住所", "所在地", "address"),
    "district": ("大字・町丁目", "大字町丁目", "町丁目", "大字", "地区", "district"),
    "lat": ("緯度", "lat", "latitude"),
    "lon": ("経度", "lon", "lng", "longitude"),
    "real_estate_id": ("不動産ID", "real_estate_id"),
    "building_use": ("用途", "建物用途", "building_use"),
    "structure": ("構造", "structure"),
    "storeys": ("階数", "storeys"),
    "notes": ("備考", "notes"),
    # The municipality's own identifiers, carried into every deliverable (optional).
    "ledger_no": ("台帳番号", "空家台帳番号", "ledger_no"),
    "chiban": ("地番", "chiban"),
    "kaoku_no": ("家屋番号", "kaoku_no"),
    # 建築年月日 as the ledger gives it (利活用判定: before or after the 新耐震基準), optional.
    "built_on": ("建築年月日", "建築年", "built_on"),
}
REQUIRED = ("address", "lat", "lon")


class PropertyRow(msgspec.Struct):
    row: int
    address: str
    district: str
    lat: float
    lon: float
    real_estate_id: str | None
    building_use: str
    structure: str
    storeys: int | None
    notes: str
    ledger_no: str = ""  # 台帳番号
    chiban: str = ""  # 地番
    kaoku_no: str = ""  # 家屋番号
    built_on: str | None = None  # 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (server/properties/built_date.py)


class RowError(msgspec.Struct):
    row: int  # the line in the file as Excel numbers it (the header is row 1)
    message: str


class CsvImportError(Exception):
    """`errors`: the first problems (then one line counting the rest); `total`: how many there are."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.total = len(errors)
        self.errors = capped(errors, more=lambda n: RowError(0, f"ほかに {n} 件のエラーがあります。"))


def decode_csv(data: bytes) -> str:
    """UTF-8 (BOM optional) first; Shift_JIS (as Windows writes it, cp932) otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as exc:
        raise CsvImportError(
            [RowError(0, "文字コードを判別できません。UTF-8 または Shift_JIS で保存した CSV を指定してください。")]
        ) from exc


def parse_properties_csv(data: bytes) -> list[PropertyRow]:
    """All rows, or CsvImportError listing every problem (nothing is partly accepted)."""
    reader = csv.reader(io.StringIO(decode_csv(data), newline=""))
    try:
        header = next(reader, None)
    except csv.Error:
        raise CsvImportError([RowError(1, _TOO_LONG)]) from None
    if not header:
        raise CsvImportError([RowError(1, "CSV が空です。1行目に見出し（住所, 緯度, 経度 …）が必要です。")])
    index, errors = _map_header(header)
    if errors:
        raise CsvImportError(errors)
    rows: list[PropertyRow] = []
    seen: dict[str, int] = {}
    for line_no, cells in _rows(reader, errors):
        if not any(cell.strip() for cell in cells):
            continue
        row, row_errors = _parse_row(line_no, cells, index)
        errors.extend(row_errors)
        if row is None:
            continue
        if row.address in seen:
            errors.append(RowError(line_no, f"住所「{row.address}」が {seen[row.address]} 行目と重複しています。"))
            continue
        seen[row.address] = line_no
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(2, "データ行がありません。"))
    if errors:
        raise CsvImportError(errors)
    return rows


def _rows(reader, errors: list[RowError]):
    """(line number, cells) of each data row; a cell too long for the csv module ends the reading with an error."""
    line_no = 1
    try:
        for line_no, cells in enumerate(reader, start=2):
            yield line_no, cells
    except csv.Error:
        errors.append(RowError(line_no + 1, _TOO_LONG))


_TOO_LONG = f"項目が長すぎるか、引用符（\"）が閉じていません。1つの項目は{CSV_FIELD_MAX}文字までです。"


def _map_header(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        key = name.strip()
        for column, aliases in COLUMNS.items():
            if key in aliases or key.lower() in aliases:
                index[column] = position
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in index]
    if missing:
        return index, [RowError(1, f"見出しに {'・'.join(missing)} の列がありません。")]
    return index, []


def _parse_row(line_no: int, cells: list[str], index: dict[str, int]) -> tuple[PropertyRow | None, list[RowError]]:
    def cell(column: str) -> str:
        pos = index.get(column)
        return cells[pos].strip() if pos is not None and pos < len(cells) else ""

    errors: list[str] = []
    too_long = [str(n + 1) for n, text in enumerate(cells) if len(text) > CSV_FIELD_MAX]
    if too_long:
        return None, [RowError(line_no, f"{'・'.join(too_long)} 列目が長すぎます（1つの項目は{CSV_FIELD_MAX}文字まで）。")]
    multi_line = {index.get("notes")}  # 備考 may run over several lines; no other cell may hold a control character
    controls = [str(n + 1) for n, text in enumerate(cells) if has_control_chars(text, n in multi_line)]
    if controls:
        return None, [RowError(line_no, f"{'・'.join(controls)} 列目に使えない制御文字（NUL など）があります。"
                                        "その文字を消してから読み込み直してください。")]
    address = cell("address")
    if not address:
        errors.append("住所が空です")
    elif len(address) > ADDRESS_MAX:
        errors.append(f"住所が長すぎます（{ADDRESS_MAX}文字まで）")
    lat = _number(cell("lat"), "緯度", 20.0, 46.0, errors)
    lon = _number(cell("lon"), "経度", 122.0, 154.0, errors)
    real_estate_id = None
    if cell("real_estate_id"):
        real_estate_id = normalize_real_estate_id(cell("real_estate_id"))
        if real_estate_id is None:
            errors.append(f"不動産ID「{cell('real_estate_id')}」は17桁（13桁-4桁）ではありません")
    storeys = None
    if cell("storeys"):
        text = cell("storeys").removesuffix("階")
        if text.isdigit() and 1 <= int(text) <= 99:
            storeys = int(text)
        else:
            errors.append(f"階数「{cell('storeys')}」は1〜99の整数で書いてください")
    built_on = None
    try:
        built_on = parse_built_on(cell("built_on"))
    except BuiltDateError as exc:
        errors.append(str(exc))
    if errors:
        return None, [RowError(line_no, "、".join(errors) + "。")]
    return (
        PropertyRow(line_no, address, cell("district"), lat, lon, real_estate_id,
                    cell("building_use"), cell("structure"), storeys, cell("notes"),
                    ledger_no=cell("ledger_no"), chiban=cell("chiban"), kaoku_no=cell("kaoku_no"), built_on=built_on),
        [],
    )


def _number(text: str, label: str, low: float, high: float, errors: list[str]) -> float:
    if not text:
        errors.append(f"{label}が空です")
        return 0.0
    try:
        value = float(text)
    except ValueError:
        errors.append(f"{label}「{text}」は数値ではありません")
        return 0.0
    if not low <= value <= high:
        errors.append(f"{label} {value} は日本の範囲（{low}〜{high}）の外です")
    return value
