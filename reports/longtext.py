"""Long text on paper: every printed field has a length it is cut at, and the cut is marked.

A 120,000-character address must not make a 100-page report (or a table row taller than
a page, reportlab's LayoutError). Free text (notes, comments) keeps up to FREE_TEXT_MAX
characters, every other field (names, addresses, labels) up to FIELD_MAX; what is cut is
replaced by 「…（以下N文字省略）」, so the reader knows text is missing and how much.
"""

import re
from typing import TypeVar

import msgspec

from reports.glyphs import map_strings

T = TypeVar("T", bound=msgspec.Struct)

FIELD_MAX = 200
FREE_TEXT_MAX = 2000
FREE_TEXT_FIELDS = {"remarks", "comment", "detail", "method_notes", "next_steps"}
CLIP_NOTE = "長い記載は途中で省略し、省いた文字数を示しています。"


def limit_for(field: str) -> int:
    """rows[3].comment → FREE_TEXT_MAX; owner.name → FIELD_MAX."""
    last = re.sub(r"\[\d+\]$", "", field.rsplit(".", 1)[-1])
    return FREE_TEXT_MAX if last in FREE_TEXT_FIELDS else FIELD_MAX


def clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（以下{len(text) - limit:,}文字省略）"


def clipped(doc: T) -> tuple[T, bool]:
    """The document with every over-long printed field cut, and whether any was."""
    cut = []

    def one(text: str, field: str) -> str:
        limit = limit_for(field)
        if len(text) > limit:
            cut.append(field)
            return clip(text, limit)
        return text

    return map_strings(doc, one), bool(cut)
