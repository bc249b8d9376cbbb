"""Who may read a text answer: the owner (printed in the owner's documents and pages) or only the
post office (internal). Version 2 rubrics mark every text item with `audience`; for a rubric that
does not (version 1 files are never edited) the default below applies.

The carrier's 備考（局への連絡事項など）, the inspection's `notes`, is always internal: the app
labels it as a message to the office.
"""

from .model import Item, Rubric

NOTES_AUDIENCE = "internal"

# Version 1 files: the answer about the owner's requested spot was written for the owner.
_V1_OWNER_TEXT = {"requested_spot_note"}


def text_audience(rubric: Rubric, item: Item) -> str:
    """'owner' or 'internal' for a text item. Unmarked items: a note explaining a choice answer
    (shown by `show_if` on a choice item, e.g. 住宅外観の状況（内容）) describes what was seen and is
    the owner's; any other unmarked text (free comments, reasons not to report) stays internal."""
    if item.audience is not None:
        return item.audience
    if item.key in _V1_OWNER_TEXT:
        return "owner"
    target = rubric.item(item.show_if.item) if item.show_if else None
    return "owner" if target is not None and target.type == "choice" else "internal"


def owner_text(rubric: Rubric, answers: dict, key: str) -> str:
    """The answer of text item `key` if the owner may read it, else ""."""
    item = rubric.item(key)
    if item is None or item.type != "text" or text_audience(rubric, item) != "owner":
        return ""
    value = answers.get(key)
    return value if isinstance(value, str) else ""
