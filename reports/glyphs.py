"""Find, name and (on request) substitute characters the fonts cannot draw.

A report with such a character is refused by default (`MissingGlyphs`), so it never
goes out with a silent blank in an owner's name. The server can show the list and
build again with `substitute_missing=True`, which prints 〓 (geta, the usual mark for
a character that cannot be typeset) in its place.
"""

from typing import Any, TypeVar

import msgspec

from reports.fonts import Fonts, missing_glyphs

GETA = "〓"
# Not carrier or office text: codes (urgency is one of three fixed words) and our own fixed wording
# with markup (about), which a cut could break.
_NOT_PRINTED = {"path", "key", "slot_key", "urgency", "about"}

T = TypeVar("T", bound=msgspec.Struct)


class MissingGlyph(msgspec.Struct, frozen=True):
    field: str  # e.g. owner.name, rows[3].property.address
    chars: str  # the characters the font lacks, in order of first appearance


class MissingGlyphs(ValueError):
    """The document holds characters the fonts cannot draw."""

    def __init__(self, found: list[MissingGlyph]):
        self.found = list(found)
        listed = "、".join(f"{m.field}「{m.chars}」" for m in found[:10])
        more = f" ほか{len(found) - 10}件" if len(found) > 10 else ""
        super().__init__(
            f"フォントにない文字があるため、そのままでは印字できません: {listed}{more}。"
            "常用の字体に直すか、〓で代替して作成してください。"
        )

    def __reduce__(self):
        # Rebuilt from `found`, not from the message: it crosses back from the PDF worker process.
        return MissingGlyphs, (self.found,)


def glyph_warnings(doc: msgspec.Struct, fonts: Fonts) -> list[MissingGlyph]:
    """Every printed field that holds a character the fonts lack."""
    found = []
    for field, text in _strings(doc, ""):
        lacking = missing_glyphs(text, fonts)
        if lacking:
            chars = "".join(dict.fromkeys(c for c in text if c in lacking))
            found.append(MissingGlyph(field=field, chars=chars))
    return found


def checked(doc: T, fonts: Fonts, substitute_missing: bool) -> T:
    """The document ready to draw: unchanged, with 〓 substituted, or MissingGlyphs raised."""
    found = glyph_warnings(doc, fonts)
    if not found:
        return doc
    if not substitute_missing:
        raise MissingGlyphs(found)
    return map_strings(doc, lambda s, _field: "".join(GETA if c in missing_glyphs(c, fonts) else c for c in s))


def strings(value: Any, where: str = ""):
    """(field path, text) of every printed string of a document."""
    return _strings(value, where)


def _strings(value: Any, where: str):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            if name not in _NOT_PRINTED:
                yield from _strings(getattr(value, name), f"{where}.{name}" if where else name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{where}[{i}]")


def map_strings(value: Any, fn, where: str = "") -> Any:
    """The document with `fn(text, field)` applied to every printed string (field as in MissingGlyph)."""
    return _map_strings(value, fn, where)


def _map_strings(value: Any, fn, where: str) -> Any:
    if isinstance(value, str):
        return fn(value, where)
    if isinstance(value, msgspec.Struct):
        changes = {
            name: _map_strings(getattr(value, name), fn, f"{where}.{name}" if where else name)
            for name in value.__struct_fields__
            if name not in _NOT_PRINTED
        }
        return msgspec.structs.replace(value, **changes)
    if isinstance(value, list):
        return [_map_strings(item, fn, f"{where}[{i}]") for i, item in enumerate(value)]
    return value
