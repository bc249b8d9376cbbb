"""A town's candidate list as CSV: one row per house a list names (水道, 課税台帳, 住基, 通報, 目視…).

The encoding is detected and said, never guessed silently: a BOM means UTF-8; otherwise the bytes
must be valid UTF-8 or valid Shift_JIS (CP932, as Excel on Windows saves it), and the import says which
it read. Every bad row is reported with its line, column and reason, and then nothing is imported.
The limits are those of the contract's address list (server/properties/csv_import.py,
server/core/limits.py); headers may be Japanese or English.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import msgspec

from server.core.clock import today_jst
from server.core.control_chars import has_control_chars
from server.core.limits import ADDRESS_MAX, CSV_FIELD_MAX, CSV_MAX_BYTES, capped

COLUMNS = {
    "source": ("出典", "抽出元", "リスト", "source"),
    "address": ("住所", "所在地", "address"),
    "chiban": ("地番", "chiban"),
    "kaoku_no": ("家屋番号", "kaoku_no"),
    "building_use": ("用途", "建物用途", "building_use"),
    "structure": ("構造", "structure"),
    "built_year": ("建築年", "建築年次", "built_year"),
    "floor_area": ("延床面積", "床面積", "floor_area"),
    "owner_name": ("所有者氏名", "所有者", "owner_name"),
    "owner_address": ("所有者住所", "owner_address"),
    "owner_postal_code": ("所有者郵便番号", "郵便番号", "owner_postal_code"),
}
REQUIRED = ("source", "address")
SOURCE_MAX = 20
ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}


class CandidateRow(msgspec.Struct, frozen=True):
    line: int  # the file's line as Excel numbers it (the header is 1)
    source: str
    address: str
    chiban: str = ""
    kaoku_no: str = ""
    building_use: str = ""
    structure: str = ""
    built_year: int | None = None
    floor_area: float | None = None
    owner_name: str = ""
    owner_address: str = ""
    owner_postal_code: str = ""  # 7 digits, or ''


class CandidateFile(msgspec.Struct, frozen=True):
    encoding: str  # "UTF-8" | "UTF-8（BOM付き）" | "Shift_JIS"
    rows: list[CandidateRow]


class CellError(msgspec.Struct, frozen=True):
    line: int  # 0: the file as a whole
    column: str  # the header as written, or '' for the whole row
    message: str


class CandidateFileError(Exception):
    def __init__(self, errors: list[CellError]):
        super().__init__(f"{len(errors)} errors")
        self.total = len(errors)
        self.errors = capped(errors, more=lambda n: CellError(0, "", f"ほかに {n} 件のエラーがあります。"))


def decode(data: bytes) -> tuple[str, str]:
    """(text, the encoding it was read as)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8（BOM付き）"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932"), "Shift_JIS"
    except UnicodeDecodeError as exc:
        raise CandidateFileError([CellError(0, "", "文字コードを判別できません（UTF-8 でも Shift_JIS でもありません）。"
                                                   "UTF-8 または Shift_JIS で保存した CSV を指定してください。")]) from exc


def parse_candidate_csv(data: bytes) -> CandidateFile:
    if len(data) > CSV_MAX_BYTES:
        raise CandidateFileError([CellError(0, "", f"CSV が大きすぎます（{CSV_MAX_BYTES // 1_000_000} MB まで）。分けて取り込んでください。")])
    text, encoding = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error:
        raise CandidateFileError([CellError(1, "", _TOO_LONG)]) from None
    if not header or not any(h.strip() for h in header):
        raise CandidateFileError([CellError(1, "", "CSV が空です。1行目に見出し（出典, 住所 …）が必要です。")])
    index = _map_header(header)
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in index]
    if missing:
        raise CandidateFileError([CellError(1, "", f"見出しに {'・'.join(missing)} の列がありません。")])
    rows, errors = [], []
    line = 1
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            row = _row(line, cells, header, index, errors)
            if row is not None:
                rows.append(row)
    except csv.Error:
        errors.append(CellError(line + 1, "", _TOO_LONG))
    if not rows and not errors:
        errors.append(CellError(2, "", "データ行がありません。"))
    if errors:
        raise CandidateFileError(errors)
    return CandidateFile(encoding, rows)


_TOO_LONG = f"項目が長すぎるか、引用符（\"）が閉じていません。1つの項目は{CSV_FIELD_MAX}文字までです。"


def _map_header(header: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        key = name.strip().lstrip("\ufeff")
        for column, aliases in COLUMNS.items():
            if column not in index and (key in aliases or key.lower() in aliases):
                index[column] = position
    return index


def _row(line: int, cells: list[str], header: list[str], index: dict[str, int], errors: list[CellError]):
    found: list[CellError] = []

    def name(column: str) -> str:
        return header[index[column]].strip()

    def cell(column: str) -> str:
        pos = index.get(column)
        return cells[pos].strip() if pos is not None and pos < len(cells) else ""

    for n, text in enumerate(cells):
        label = header[n].strip() if n < len(header) else f"{n + 1}列目"
        if len(text) > CSV_FIELD_MAX:
            found.append(CellError(line, label, f"長すぎます（1つの項目は{CSV_FIELD_MAX}文字まで）。"))
        elif has_control_chars(text):
            found.append(CellError(line, label, "使えない制御文字（NUL や改行など）があります。その文字を消してください。"))
    if found:
        errors.extend(found)
        return None
    source = cell("source")
    if not source:
        found.append(CellError(line, name("source"), "出典（水道、課税台帳、住基、通報、目視 など）が空です。"))
    elif len(source) > SOURCE_MAX:
        found.append(CellError(line, name("source"), f"出典が長すぎます（{SOURCE_MAX}文字まで）。"))
    address = cell("address")
    if not address:
        found.append(CellError(line, name("address"), "住所が空です。"))
    elif len(address) > ADDRESS_MAX:
        found.append(CellError(line, name("address"), f"住所が長すぎます（{ADDRESS_MAX}文字まで）。"))
    built_year = _year(cell("built_year"), line, index.get("built_year") is not None and name("built_year"), found)
    floor_area = _area(cell("floor_area"), line, index.get("floor_area") is not None and name("floor_area"), found)
    postal = ""
    if cell("owner_postal_code"):
        postal = re.sub(r"[〒\-\s]", "", unicodedata.normalize("NFKC", cell("owner_postal_code")))
        if not re.fullmatch(r"\d{7}", postal):
            found.append(CellError(line, name("owner_postal_code"),
                                   f"郵便番号「{cell('owner_postal_code')}」は7桁の数字（例 399-4501）で書いてください。"))
    if (cell("owner_address") or postal) and not cell("owner_name"):
        found.append(CellError(line, name("owner_address") if "owner_address" in index else name("owner_postal_code"),
                               "所有者の住所・郵便番号があるのに、所有者氏名が空です。"))
    if len(cell("owner_address")) > ADDRESS_MAX:
        found.append(CellError(line, name("owner_address"), f"所有者住所が長すぎます（{ADDRESS_MAX}文字まで）。"))
    if found:
        errors.extend(found)
        return None
    return CandidateRow(line, source, address, chiban=cell("chiban"), kaoku_no=cell("kaoku_no"),
                        building_use=cell("building_use"), structure=cell("structure"), built_year=built_year,
                        floor_area=floor_area, owner_name=cell("owner_name"), owner_address=cell("owner_address"),
                        owner_postal_code=postal)


def _year(text: str, line: int, column, found: list[CellError]) -> int | None:
    """1975, 1975年, 昭和50年, S50 is not accepted (the ledger writes the era out)."""
    if not text:
        return None
    written = text
    text = unicodedata.normalize("NFKC", text).removesuffix("年")
    era = next((e for e in ERAS if text.startswith(e)), None)
    number = text.removeprefix(era) if era else text
    number = "1" if number == "元" else number
    year = (ERAS[era] + int(number)) if era and number.isdigit() else int(number) if number.isdigit() else None
    if year is None or not 1868 <= year <= today_jst().year:
        found.append(CellError(line, column, f"建築年「{written}」は西暦（例 1975）か和暦（例 昭和50年）で、1868年から今年までで書いてください。"))
        return None
    return year


def _area(text: str, line: int, column, found: list[CellError]) -> float | None:
    if not text:
        return None
    plain = unicodedata.normalize("NFKC", text).replace(",", "")
    plain = re.sub(r"(m2|m²|平方メートル)$", "", plain).strip()
    try:
        value = float(plain)
    except ValueError:
        value = -1.0
    if not 0 < value < 100_000:
        found.append(CellError(line, column, f"延床面積「{text}」は平方メートルの数（例 98.5）で書いてください。"))
        return None
    return value
