"""Answer sets for tests, built from a rubric the way a careful carrier fills the form."""

from __future__ import annotations

from server.rubrics import Rubric, visible_items


def _first_value(item):
    if item.type == "choice":
        return item.options[0].value
    if item.type == "multi":
        return []
    if item.type == "boolean":
        return False
    if item.type == "number":
        return item.min if item.min is not None else 0
    return "特になし"


def minimal_answers(rubric: Rubric, options=(), overrides: dict | None = None) -> dict:
    """Every visible required item answered with its first (normally the 'all fine') choice."""
    answers = dict(overrides or {})
    for _ in range(10):
        changed = False
        visible = visible_items(rubric, answers, options)
        keys = {item.key for item in visible}
        for key in list(answers):
            if key not in keys and key not in (overrides or {}):
                del answers[key]
                changed = True
        for item in visible:
            if item.required and item.key not in answers:
                answers[item.key] = _first_value(item)
                changed = True
        if not changed:
            return answers
    return answers


def required_slots(rubric: Rubric) -> list[str]:
    return [slot.key for slot in rubric.photo_slots if slot.required]
