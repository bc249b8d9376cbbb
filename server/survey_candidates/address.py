"""Japanese addresses as comparison keys: the same house written by two lists gives the same key.

No maintained library does this offline: the Python ports of geolonia's normalize-japanese-addresses
fetch the town lists from a web API (or a downloaded copy of it) at run time, and their last release was
in 2024. This is the part they share that needs no town list: NFKC, 漢数字 → 算用数字 in 丁目・番地・号,
ケ/ヶ/が, ノ/の, 大字/字, the hyphen forms (－ ‐ − ー の), 番地 vs 番 and 号, spaces. The key is for
comparing, never for printing: a document prints the address as the list wrote it.
"""

from __future__ import annotations

import re
import unicodedata

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_NUMBER = "[〇零一二三四五六七八九十百千]+"
# A kanji number is a number where a 丁目・番地・番・号 follows it (not 番町: 一番町 is a town's name),
# or where it follows a number and a hyphen (1番地の三 → 1-3).
_NUMBER_BEFORE_MARK = re.compile(rf"({_KANJI_NUMBER})(?=丁目|番地|番(?!町)|号|地割)")
_NUMBER_AFTER_HYPHEN = re.compile(rf"(?<=\d-)({_KANJI_NUMBER})(?=$|-|号)")
_HYPHENS = re.compile(r"[‐‑‒–—―−－ｰ﹣⁃-]")
_LONG_VOWEL_BETWEEN_DIGITS = re.compile(r"(?<=\d)ー(?=\d)")
_NO_BETWEEN_DIGITS = re.compile(r"(?<=\d)[のノ之](?=\d)")
_KE = re.compile(r"(?<=[\u4e00-\u9fff])[ヶケヵが](?=[\u4e00-\u9fff])")
_NO = re.compile(r"(?<=[\u4e00-\u9fff])ノ(?=[\u4e00-\u9fff])")
# 大字 and 字 are dropped wherever written (大字本郷字北 and 本郷北 are one place); a name with 字 in it
# (十字町) would lose it too, on every list alike, so keys still compare.
_AZA = re.compile(r"大字|小字|字(?=\D)")
_NO_AFTER_HYPHEN = re.compile(rf"-[のノ之](?=\d|{_KANJI_NUMBER})")
_MARKS = re.compile(r"(?<=\d)(?:丁目|番地|番(?!町)|地割)")
_GOU = re.compile(r"(?<=\d)号")
_SPACES = re.compile(r"\s+")


def kanji_to_int(text: str) -> int:
    """二十四 → 24, 百五 → 105, 一〇五 → 105 (digit by digit when no unit is written)."""
    if not any(ch in _KANJI_UNITS for ch in text):
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in text))
    total, digit = 0, 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            digit = _KANJI_DIGITS[ch]
        else:
            total += (digit or 1) * _KANJI_UNITS[ch]
            digit = 0
    return total + digit


def _arabic(match: re.Match[str]) -> str:
    return str(kanji_to_int(match[1]))


def address_key(address: str, prefecture: str = "", municipality: str = "") -> str:
    """The comparison key of an address: 長野県青葉川町大字本郷二丁目５番地３号 → 本郷2-5-3 (the town's own
    prefecture and name are dropped when given, so a list that omits them matches one that writes them)."""
    text = unicodedata.normalize("NFKC", address)
    text = _SPACES.sub("", text)
    for prefix in (prefecture, municipality):
        prefix = unicodedata.normalize("NFKC", prefix or "")
        if prefix and text.startswith(prefix):
            text = text[len(prefix):]
    text = _NUMBER_BEFORE_MARK.sub(_arabic, text)
    text = _HYPHENS.sub("-", text)
    text = _LONG_VOWEL_BETWEEN_DIGITS.sub("-", text)
    text = _NO_BETWEEN_DIGITS.sub("-", text)
    text = _MARKS.sub("-", text)
    text = _GOU.sub("", text)
    text = _NO_AFTER_HYPHEN.sub("-", text)
    text = _NUMBER_AFTER_HYPHEN.sub(_arabic, text)
    text = _NO_BETWEEN_DIGITS.sub("-", text)
    text = _KE.sub("ケ", text)
    text = _NO.sub("の", text)
    text = _AZA.sub("", text)
    text = re.sub(r"-{2,}", "-", text)
    return text.strip("-")


def parcel_base(key: str) -> str:
    """The key without its last number after a hyphen (本郷666-9 → 本郷666): a near match, never a match."""
    head, sep, tail = key.rpartition("-")
    return head if sep and tail.isdigit() else key
