"""IPAex fonts for the PDFs, and the check for characters they cannot draw.

reportlab draws a character missing from the font as a blank, silently (IPAex lacks
𠮷, for one). Every document is checked first: see `reports.glyphs`.
"""

import os
import zlib
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DEFAULT_GOTHIC = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
DEFAULT_MINCHO = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"
GOTHIC_SETTING = "AKIYA_FONT_GOTHIC"
MINCHO_SETTING = "AKIYA_FONT_MINCHO"


class FontNotFound(RuntimeError):
    """No usable Japanese font: the PDFs cannot be made."""


@dataclass(frozen=True)
class Fonts:
    gothic: str  # registered reportlab font name
    mincho: str
    codepoints: frozenset[int]  # characters both fonts can draw


_loaded: dict[tuple[str, str], Fonts] = {}


def load_fonts(gothic_path: str | None = None, mincho_path: str | None = None) -> Fonts:
    """Register IPAex Gothic and Mincho with reportlab, once per process.

    Paths given explicitly must exist. Without them the Debian locations are used;
    if only one of the two fonts is installed it serves for both.
    """
    gothic = _resolve(gothic_path, DEFAULT_GOTHIC, GOTHIC_SETTING)
    mincho = _resolve(mincho_path, DEFAULT_MINCHO, MINCHO_SETTING)
    gothic, mincho = gothic or mincho, mincho or gothic
    if gothic is None or mincho is None:
        raise FontNotFound(
            "日本語フォント（IPAexフォント）が見つからないため、PDFを作成できません。"
            "Debian パッケージ fonts-ipaexfont をインストールするか、設定 "
            f"{GOTHIC_SETTING} / {MINCHO_SETTING} にフォントファイル（.ttf）のパスを指定してください。"
            f" / No Japanese font found (looked for {DEFAULT_GOTHIC} and {DEFAULT_MINCHO}): "
            f"install the Debian package fonts-ipaexfont or set {GOTHIC_SETTING} / {MINCHO_SETTING} "
            "to a TrueType font file."
        )
    key = (gothic, mincho)
    if key not in _loaded:
        g = _register("AkiyaGothic", gothic)
        m = g if mincho == gothic else _register("AkiyaMincho", mincho)
        codepoints = frozenset(g.face.charToGlyph) & frozenset(m.face.charToGlyph)
        _loaded[key] = Fonts(gothic=g.fontName, mincho=m.fontName, codepoints=codepoints)
    return _loaded[key]


def _resolve(given: str | None, default: str, setting: str) -> str | None:
    if given is None:
        return default if os.path.isfile(default) else None
    if not os.path.isfile(given):
        raise FontNotFound(
            f"設定 {setting} のフォントファイルが見つかりません: {given}"
            f"（fonts-ipaexfont の {default} などを指定してください）"
            f" / Font file given by {setting} not found: {given}"
        )
    return given


def _register(name: str, path: str) -> TTFont:
    # One reportlab name per file, so two different files never overwrite each other.
    font = TTFont(f"{name}-{zlib.crc32(os.path.realpath(path).encode()):08x}", path)
    pdfmetrics.registerFont(font)
    return font


_IGNORED = {ord("\n"), ord("\r"), ord("\t")}


def missing_glyphs(text: str, fonts: Fonts) -> set[str]:
    """Characters of `text` that the fonts cannot draw (e.g. 𠮷)."""
    return {c for c in text if ord(c) not in fonts.codepoints and ord(c) not in _IGNORED}
