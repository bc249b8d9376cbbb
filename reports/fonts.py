"""IPAex fonts for the PDFs, IPAmj明朝 as a fallback, and the check for characters they cannot draw.

reportlab draws a character missing from the font as a blank, silently (IPAex lacks
𠮷, for one). Such characters are drawn with the fallback font where it has them
(IPAmj明朝, ~60,000 glyphs for names in family registers); every document is checked
first for characters no font has (emoji): see `reports.glyphs`.
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
DEFAULT_FALLBACK = "/usr/share/fonts/truetype/ipamj/ipamjm.ttf"
FALLBACK_SETTING = "AKIYA_FONT_FALLBACK"


class FontNotFound(RuntimeError):
    """No usable Japanese font: the PDFs cannot be made."""


@dataclass(frozen=True)
class Fonts:
    gothic: str  # registered reportlab font name
    mincho: str
    codepoints: frozenset[int]  # characters both fonts can draw
    fallback: str | None = None  # registered name of the fallback font, if installed
    fallback_codepoints: frozenset[int] = frozenset()  # characters only the fallback draws

    def needs_fallback(self, char: str) -> bool:
        return ord(char) in self.fallback_codepoints


_loaded: dict[tuple[str, str], Fonts] = {}


def load_fonts(gothic_path: str | None = None, mincho_path: str | None = None,
               fallback_path: str | None = None) -> Fonts:
    """Register IPAex Gothic and Mincho (and the fallback) with reportlab, once per process.

    Paths given explicitly must exist. Without them the Debian locations are used;
    if only one of the two fonts is installed it serves for both. Without a fallback
    font installed, the characters IPAex lacks are simply missing (printed as 〓).
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
    fallback = _resolve(fallback_path, DEFAULT_FALLBACK, FALLBACK_SETTING)
    key = (gothic, mincho, fallback)
    if key not in _loaded:
        g = _register("AkiyaGothic", gothic)
        m = g if mincho == gothic else _register("AkiyaMincho", mincho)
        codepoints = frozenset(g.face.charToGlyph) & frozenset(m.face.charToGlyph)
        f = _register("AkiyaFallback", fallback) if fallback else None
        _loaded[key] = Fonts(gothic=g.fontName, mincho=m.fontName, codepoints=codepoints,
                             fallback=f.fontName if f else None,
                             fallback_codepoints=frozenset(f.face.charToGlyph) - codepoints if f else frozenset())
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
    """Characters of `text` that no font can draw (e.g. 🙂; 𠮷 too when no fallback font is installed)."""
    return {c for c in text if ord(c) not in fonts.codepoints and ord(c) not in fonts.fallback_codepoints
            and ord(c) not in _IGNORED}
