"""The 建築年月日 a municipality's ledger gives, read from a CSV cell into the stored form 'YYYY', 'YYYY-MM' or
'YYYY-MM-DD' (as precise as the ledger is: a year stays a year, never a guessed day).

Accepted: 西暦 (1981, 1981-05, 1981/5/31, 1981年5月31日) and 和暦 with the era's name or initial
(昭和56年5月31日, 昭和56年, S56.5.31, 平成元年4月); full-width digits are read as digits."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

# First year of each era (元年), its name and initial.
ERAS = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019,
        "M": 1868, "T": 1912, "S": 1926, "H": 1989, "R": 2019}
_WESTERN = re.compile(r"^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?年?$")
_ERA = re.compile(r"^(明治|大正|昭和|平成|令和|[MTSHR])(元|\d{1,2})[年.\-/](?:(\d{1,2})[月.\-/]?(?:(\d{1,2})日?)?)?$")


class BuiltDateError(ValueError):
    pass


def parse_built_on(text: str) -> str | None:
    """'' -> None; a date the ledger could give -> its stored form; anything else -> BuiltDateError."""
    cell = unicodedata.normalize("NFKC", text).strip().replace(" ", "").upper()
    if not cell:
        return None
    if m := _WESTERN.match(cell):
        year, month, day = int(m[1]), m[2], m[3]
    elif m := _ERA.match(cell):
        year = ERAS[m[1]] + (0 if m[2] == "元" else int(m[2]) - 1)
        month, day = m[3], m[4]
    else:
        raise BuiltDateError(f"建築年月日「{text}」を読めません（例：1981-05-31、1981年5月、昭和56年5月31日）")
    if not 1800 <= year <= 2100:
        raise BuiltDateError(f"建築年月日「{text}」の年が範囲（1800〜2100年）の外です")
    try:
        if day is not None:
            return date(year, int(month), int(day)).isoformat()
        if month is not None:
            return date(year, int(month), 1).isoformat()[:7]
        return f"{date(year, 1, 1).year:04d}"
    except ValueError:
        raise BuiltDateError(f"建築年月日「{text}」は存在しない日付です") from None
