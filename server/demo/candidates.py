"""The demo town's candidate lists for its survey contract (候補の抽出): pure data, no database code.

Two lists as towns hand them over: the water bureau's (水道: addresses in its own short notation, UTF-8
with a BOM) and the tax ledger's (課税台帳: 大字 and 漢数字, 地番・家屋番号・建築年・延床面積 and the owners,
Shift_JIS). Ten houses are on both; some rows name a parcel without its branch number (the clerk's queue);
a few name houses the town's list does not have. The owners are fictional; their postal codes are real
codes of the cities written, except one that does not exist and one of another prefecture (flagged).
"""

from __future__ import annotations

import re

from server.demo.town import SURVEY_CONTRACT, TOWN, identifiers, property_by_key

HEADER = ["出典", "住所", "地番", "家屋番号", "用途", "構造", "建築年", "延床面積", "所有者氏名", "所有者住所", "所有者郵便番号"]
_WIDE = str.maketrans("0123456789-", "０１２３４５６７８９－")
_KANJI = "〇一二三四五六七八九"

# (name, address, postal code): fictional people at real postal codes; the last two are flagged.
_OWNERS = [
    ("青木 正雄", "東京都千代田区千代田9番9号", "100-0001"), ("石井 とし子", "大阪府大阪市北区梅田9丁目9番", "530-0001"),
    ("上野 進", "宮城県仙台市青葉区一番町9丁目9-9", "980-0811"), ("遠藤 節子", "東京都世田谷区池尻9丁目9-9", "154-0001"),
    ("大野 勝", "神奈川県横浜市中区新港9-9", "231-0001"), ("岡田 京子", "愛知県名古屋市中区栄9丁目9番9号", "460-0008"),
    ("金子 茂", "兵庫県神戸市中央区三宮町9丁目9-9", "650-0021"), ("北村 幸子", "福岡県福岡市中央区天神9丁目9-9", "810-0001"),
    ("工藤 実", "長野県長野市南県町999番地", "380-0836"), ("斎藤 美代子", "長野県伊那市西町9999番地", "396-0026"),
    ("坂本 清", "東京都新宿区新宿9丁目9-9", "160-0022"), ("島田 和枝", "千葉県千葉市中央区中央9丁目9-9", "260-0013"),
    ("津田 和夫", "埼玉県さいたま市浦和区高砂9丁目9-9", "330-0063"), ("中島 恵子", "静岡県静岡市葵区追手町9-9", "420-0853"),
    ("杉山 弘", "長野県伊那市西町9998番地", "399-9999"),  # no such postal code
    ("田村 洋子", "大阪府大阪市北区梅田9丁目8番", "100-0001"),  # a Tokyo code on an Osaka address
]


def kanji_number(n: int) -> str:
    """222 → 二百二十二, 1041 → 千四十一 (as a tax ledger writes a lot number)."""
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        digit, n = divmod(n, value)
        if digit:
            out += ("" if digit == 1 else _KANJI[digit]) + unit
    return out + (_KANJI[n] if n else "")


def _lot(key: str) -> tuple[int, int | None]:
    """(番地, 枝番) of a demo house: 666番地9 → (666, 9)."""
    lot = property_by_key(key).address.split(property_by_key(key).district, 1)[1]
    number, branch = re.fullmatch(r"(\d+)番地(\d+)?", lot).groups()
    return int(number), int(branch) if branch else None


def _water_address(key: str) -> str:
    number, branch = _lot(key)
    return f"{TOWN.name}{property_by_key(key).district}{number}{'-' + str(branch) if branch else ''}".translate(_WIDE)


def _ledger_address(key: str) -> str:
    number, branch = _lot(key)
    lot = f"{kanji_number(number)}番地" + (f"の{kanji_number(branch)}" if branch else "")
    return f"{TOWN.prefecture}{TOWN.name}大字{property_by_key(key).district}{lot}"


def _era_year(built_on: str) -> str:
    """The ledger's 建築年 in the era a tax ledger writes: 1981 → 昭和56年, 1994-03-12 → 平成6年."""
    year = int(built_on[:4])
    return f"昭和{year - 1925}年" if year < 1989 else f"平成{year - 1988}年"


def _csv(rows: list[list[str]]) -> str:
    return "\r\n".join(",".join(row) for row in [HEADER, *rows]) + "\r\n"


_CONTRACT = list(SURVEY_CONTRACT.properties)
_WATER_HOUSES = _CONTRACT[:28]
_LEDGER_HOUSES = _CONTRACT[18:] + ["p06", "p07", "p13", "p14"]  # ten on both lists; four outside the contract
_BRANCHED = [key for key in _CONTRACT if _lot(key)[1] is not None]  # houses with a branch number


def water_list() -> bytes:
    """水道: 使用水量の少ない（年12 m³ 以下の）給水先 — 32 rows, UTF-8 with a BOM."""
    rows = [["水道", _water_address(key)] + [""] * 9 for key in _WATER_HOUSES]
    rows += [["水道", f"{TOWN.name}{property_by_key(key).district}{_lot(key)[0]}".translate(_WIDE)] + [""] * 9
             for key in _BRANCHED[:2]]  # the parcel without its branch number: the clerk decides
    rows += [["水道", f"{TOWN.name}本郷１５０１"] + [""] * 9, ["水道", f"{TOWN.name}東原９９９－２"] + [""] * 9]
    return ("\ufeff" + _csv(rows)).encode("utf-8")


def ledger_list() -> bytes:
    """課税台帳: 家屋のある土地 with 地番・家屋番号・建築年・延床面積 and the owner — 28 rows, Shift_JIS."""
    rows = []
    for n, key in enumerate(_LEDGER_HOUSES):
        house = property_by_key(key)
        _, chiban, kaoku_no = identifiers(key)
        owner = _OWNERS[n] if n < len(_OWNERS) else ("", "", "")
        rows.append(["課税台帳", _ledger_address(key), chiban, kaoku_no, house.building_use, house.structure,
                     _era_year(house.built_on), f"{72 + 3.5 * n:.1f}", *owner])
    rows.append(["課税台帳", f"{TOWN.prefecture}{TOWN.name}大字{property_by_key(_BRANCHED[2]).district}"
                             f"{kanji_number(_lot(_BRANCHED[2])[0])}番地", "", "", "専用住宅", "木造", "昭和48年", "88.0",
                 "", "", ""])
    rows.append(["課税台帳", f"{TOWN.prefecture}{TOWN.name}大字上郷二千二百番地", "2200番", "2200番の1", "専用住宅", "木造",
                 "昭和30年", "64.0", "", "", ""])
    return _csv(rows).encode("cp932")


# What the clerk recorded for candidates the survey did not reach: (outcome, reason), given in order to the
# unsurveyed, matched candidates of the lists.
CLERK_OUTCOMES = [("occupied", ""), ("occupied", ""), ("occupied", ""), ("cleared", ""), ("cleared", ""),
                  ("not_located", ""), ("excluded", "店舗として営業中（住宅ではない）"), ("excluded", "調査区域外")]
