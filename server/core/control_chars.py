"""Control characters are refused at the door, the same on both databases (PostgreSQL refuses NUL
in text with an error; SQLite would store it and `akiya migrate-to` stop on it later).

One walk over whatever a request decoded to (a JSON body, a form, a push op) finds the first text
holding a C0 control character (U+0000–U+001F) and names its field. Text a person writes in several
lines (`MULTI_LINE_FIELDS`: notes, comments, text answers) may hold tab, LF and CR; nothing else may.
The callers: every JSON body and every form (server/http/request_bounds.py), each op of a push on its own
(server/sync/schemas.py decode_ops), ids and query values (request_bounds.bound_ids), CSV cells
(server/properties/csv_import.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import msgspec

SINGLE_LINE = re.compile(r"[\x00-\x1f]")
MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Fields written in several lines: the app's notes and text answers (every value under `answers`), the
# clerk's review comment, the note to an owner, a contact's agreement and the owner's message thread
# (office textareas).
MULTI_LINE_FIELDS = frozenset({"notes", "answers", "comment", "owner_note", "agreed", "reason", "message"})


def has_control_chars(text: str, multi_line: bool = False) -> bool:
    return (MULTI_LINE if multi_line else SINGLE_LINE).search(text) is not None


def replace_control_chars(text: str, multi_line: bool = True, by: str = "\ufffd") -> str:
    """`text` with each refused control character replaced (older data moved by `akiya migrate-to`)."""
    return (MULTI_LINE if multi_line else SINGLE_LINE).sub(by, text)


def _members(value: Any) -> Iterable[tuple[str | int, Any]] | None:
    if isinstance(value, msgspec.Struct):
        return ((name, getattr(value, name)) for name in value.__struct_fields__)
    if hasattr(value, "multi_items"):  # a form (several values per name)
        return value.multi_items()
    if isinstance(value, dict):
        return value.items()
    if isinstance(value, (list, tuple)):
        return enumerate(value)
    return None


def field_with_control_chars(value: Any, path: str = "", multi_line: bool = False) -> str | None:
    """The path of the first field (`inspection.answers.garden_note`, `ops[2]`) whose text, or whose
    name, holds a refused control character; None when there is none."""
    if isinstance(value, str):
        return path if has_control_chars(value, multi_line) else None
    members = _members(value)
    if members is None:
        return None
    for key, item in members:
        name = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else key
        if isinstance(key, str) and has_control_chars(key):
            return name
        found = field_with_control_chars(item, name, multi_line or key in MULTI_LINE_FIELDS)
        if found is not None:
            return found
    return None


def shown(field: str) -> str:
    """A field's path as a message may quote it (its control characters made visible)."""
    return replace_control_chars(field, multi_line=False, by="�")[:100]
