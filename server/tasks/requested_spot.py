"""The owner's requested spot (watch_subscriptions.requested_spot, carried by the visit's task):
the visit must say what was seen there, with its photo, or why it could not be checked.

A pure function of the rubric, the spot, the answers and the photo slots; the phone applies the
same rule (field_app/js/requested-spot.js) before saving, the push after it.
"""

from __future__ import annotations

from server.rubrics.model import Rubric
from server.rubrics.results import AnswerError

NOTE_ITEM = "requested_spot_note"  # what was seen (text, printed for the owner)
REASON_ITEM = "requested_spot_unchecked"  # why it could not be checked (choice; watch_basic v2 on)
SLOT = "requested_spot"

NOTE_MISSING = "所有者のご依頼箇所「{spot}」の様子を「{label}」に書いてください。確認できなかったときは理由を選んでください。"
PHOTO_MISSING = "所有者のご依頼箇所「{spot}」の写真を撮影してください。撮影できなかったときは理由を選んでください。"


def requested_spot_errors(rubric: Rubric, spot: str, answers: dict, slots: list[str]) -> list[AnswerError]:
    """Nothing when the task carries no request, when the rubric has no place for the answer, or
    when a reason it could not be checked was chosen; else the missing note and photo."""
    keys = {item.key: item for item in rubric.all_items()}
    if not spot.strip() or NOTE_ITEM not in keys:
        return []
    if REASON_ITEM in keys and answers.get(REASON_ITEM) not in (None, ""):
        return []
    errors = []
    if not str(answers.get(NOTE_ITEM) or "").strip():
        errors.append(AnswerError(item=NOTE_ITEM, code="requested_spot_missing",
                                  message=NOTE_MISSING.format(spot=spot, label=keys[NOTE_ITEM].label)))
    if SLOT in {s.key for s in rubric.photo_slots} and SLOT not in slots:
        errors.append(AnswerError(item=SLOT, code="requested_spot_photo", message=PHOTO_MISSING.format(spot=spot)))
    return errors
