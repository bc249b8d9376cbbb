"""Scoring a visit's answers against a rubric. field_app/js/rubric-engine.js is the same
algorithm in JavaScript; rubrics/conformance/vectors.json keeps the two in step.

Rules both engines follow:
- An item is visible when its `requires_option` (if any) is among the task's options and its
  `show_if` (if any) holds: the target item is visible, validly answered, and its answer (for
  multi: any chosen value) is one of `in`. Hidden items must not be answered.
- Not answered = key absent, null, or "" for text. A multi answered with [] is an answer
  ("none of these"), so a required multi accepts [].
- Numbers: JSON numbers only (not true/false); `integer` items accept 3.0 (JSON cannot tell it
  from 3); bounds inclusive. Text length counts Unicode code points.
- One error per item: not answered -> `required` (if visible and required); answered but
  hidden -> `hidden_item`; answered and visible -> the first of wrong_type, unknown_option,
  duplicate_choice, not_integer, out_of_range, too_long. Errors come in form order, then
  unknown_item errors by key in code point order.
- Points are integers: options' points summed per category, each category capped, the total
  is the sum of categories with in_total, then each multiplier whose `when` holds, in order:
  total = floor(total * percent / 100). Ranks and judgement levels are inclusive integer bands.
- Flags: those of the chosen options, once each, in the order scoring.flags declares them.
- scoring.statutory (optional): the statutory 不良度 as a range, see statutory.py.
"""

import math

from .model import Condition, Item, Option, Rubric
from .results import AnswerError, Change, Flag, InvalidAnswers, Result, answer_error, format_range
from .statutory import statutory_range

_OPTION_TYPES = ("choice", "multi", "boolean")


def _answered(item: Item, value) -> bool:
    return value is not None and not (item.type == "text" and value == "")


def _same(a, b) -> bool:
    return type(a) is type(b) and a == b


def _value_problem(item: Item, value) -> AnswerError | None:
    """The error of an answered value, or None when it fits the item."""
    def error(code: str, **details) -> AnswerError:
        return answer_error(item.key, code, item.label, **details)

    values = item.options_by_value
    if item.type == "choice":
        if not isinstance(value, str):
            return error("wrong_type")
        return None if (str, value) in values else error("unknown_option")
    if item.type == "multi":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return error("wrong_type")
        if any((str, v) not in values for v in value):
            return error("unknown_option")
        return error("duplicate_choice") if len(set(value)) < len(value) else None
    if item.type == "boolean":
        return None if isinstance(value, bool) else error("wrong_type")
    if item.type == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return error("wrong_type")
        if item.integer and value != math.floor(value):
            return error("not_integer")
        if (item.min is not None and value < item.min) or (item.max is not None and value > item.max):
            return error("out_of_range", range=format_range(item.min, item.max, item.unit))
        return None
    if not isinstance(value, str):
        return error("wrong_type")
    return error("too_long", max_length=item.max_length) if len(value) > item.max_length else None


def _holds(condition: Condition, answers: dict, visible: set[str], rubric: Rubric) -> bool:
    target = rubric.item(condition.item)
    value = answers.get(condition.item)
    if condition.item not in visible or not _answered(target, value) or _value_problem(target, value):
        return False
    chosen = value if target.type == "multi" else [value]
    return any(_same(v, wanted) for v in chosen for wanted in condition.in_)


def visible_items(rubric: Rubric, answers: dict, options=()) -> list[Item]:
    visible: set[str] = set()
    shown = []
    for item in rubric.all_items():
        if item.requires_option is not None and item.requires_option not in options:
            continue
        if item.show_if is not None and not _holds(item.show_if, answers, visible, rubric):
            continue
        visible.add(item.key)
        shown.append(item)
    return shown


def is_visible(rubric: Rubric, item_key: str, answers: dict, options=()) -> bool:
    return any(item.key == item_key for item in visible_items(rubric, answers, options))


def answer_errors(rubric: Rubric, answers: dict, options=(), shown: list[Item] | None = None) -> list[AnswerError]:
    if shown is None:
        shown = visible_items(rubric, answers, options)
    visible = {item.key for item in shown}
    errors = []
    for item in rubric.all_items():
        value = answers.get(item.key)
        if not _answered(item, value):
            if item.required and item.key in visible:
                errors.append(answer_error(item.key, "required", item.label))
        elif item.key not in visible:
            errors.append(answer_error(item.key, "hidden_item", item.label))
        elif problem := _value_problem(item, value):
            errors.append(problem)
    known = rubric.items_by_key
    errors += [answer_error(k, "unknown_item", k) for k in sorted(answers) if k not in known]
    return errors


def _chosen_options(item: Item, value) -> list[Option]:
    """The options an answer chose, in the item's option order."""
    if item.type != "multi":  # one value: one lookup
        option = item.options_by_value.get((type(value), value))
        return [option] if option is not None else []
    chosen = {(type(v), v) for v in value}
    if len(chosen) == 1:
        option = item.options_by_value.get(next(iter(chosen)))
        return [option] if option is not None else []
    return [o for o in item.options if (type(o.value), o.value) in chosen]


def score(rubric: Rubric, answers: dict, options=(), shown: list[Item] | None = None) -> Result:
    """`shown`: visible_items(rubric, answers, options) when the caller has it already."""
    if shown is None:
        shown = visible_items(rubric, answers, options)
    errors = answer_errors(rubric, answers, options, shown)
    if errors:
        raise InvalidAnswers(errors)
    scoring = rubric.scoring
    raw = {c.key: 0 for c in scoring.categories}
    raised: set[str] = set()
    picked: dict[str, list[Option]] = {}  # each answer's options, found once (the statutory range reuses them)
    for item in shown:
        value = answers.get(item.key)
        if item.type not in _OPTION_TYPES or not _answered(item, value):
            continue
        picked[item.key] = options = _chosen_options(item, value)
        for option in options:
            for category, points in option.points.items():
                raw[category] += points
            if option.flags:
                raised.update(option.flags)
    points = {c.key: raw[c.key] if c.cap is None else min(raw[c.key], c.cap) for c in scoring.categories}
    total = sum(points[c.key] for c in scoring.categories if c.in_total)
    visible = {item.key for item in shown}
    for multiplier in scoring.multipliers:
        if _holds(multiplier.when, answers, visible, rubric):
            total = total * multiplier.percent // 100
    rank = next((r for r in scoring.ranks if _in_band(total, r)), None)
    judgements = {
        j.key: next(level.value for level in j.levels if _in_band(points[j.category], level))
        for j in scoring.judgements
    }
    flags = [Flag(key=f.key, label=f.label, category=f.category, level=f.level, urgency=f.urgency)
             for f in scoring.flags if f.key in raised]
    statutory = statutory_range(rubric, answers, shown,
                                lambda item, value: picked.get(item.key) or _chosen_options(item, value),
                                lambda condition: _holds(condition, answers, visible, rubric))
    return Result(points=points, total=total, rank=rank and rank.code, rank_label=rank and rank.label,
                  judgements=judgements, flags=flags, statutory=statutory)


def _in_band(value: int, band) -> bool:
    return band.min <= value and (band.max is None or value <= band.max)


def shown_slots(rubric: Rubric, answers: dict, options=(), shown: list[Item] | None = None) -> list[str]:
    """The photo slots the form shows: those whose `requires_option` (if any) is among the task's options
    and whose `show_if` (if any) holds, as for items."""
    if shown is None:
        shown = visible_items(rubric, answers, options)
    visible = {item.key for item in shown}
    return [s.key for s in rubric.photo_slots
            if (s.requires_option is None or s.requires_option in options)
            and (s.show_if is None or _holds(s.show_if, answers, visible, rubric))]


def check_photos(rubric: Rubric, slots: list[str], answers: dict | None = None, options=(),
                 shown: list[Item] | None = None) -> list[AnswerError]:
    """Required slots without a photo and not waived (form order), then slots an item answered
    異常あり needs a photo in (form order of the items), then unknown slots (first-seen order).
    A slot the form does not show (`requires_option`, `show_if`) is not required.

    A slot is waived when its `waiver_item` is visible and answered (the reason). An item naming a
    slot needs a photo there once an answer of the slot's `needed_from_severity` or more is chosen.
    The waiver of a required slot covers only its routine photo, never the photo of a finding (the
    garden could not be entered, yet its damage must be shown); a slot that exists only for
    findings (not required, with a waiver item) is waived with a reason like any other.
    """
    answers = answers or {}
    if shown is None:
        shown = visible_items(rubric, answers, options)
    visible = {item.key for item in shown}
    waived = {s.key for s in rubric.photo_slots
              if s.waiver_item in visible and _answered(rubric.item(s.waiver_item), answers.get(s.waiver_item))}
    showing = set(shown_slots(rubric, answers, options, shown))
    errors = [answer_error(s.key, "missing_photo", s.label) for s in rubric.photo_slots
              if s.required and s.key in showing and s.key not in slots and s.key not in waived]
    reported = {e.item for e in errors}
    labels = {s.key: s.label for s in rubric.photo_slots}
    needed_from = {s.key: s.needed_from_severity for s in rubric.photo_slots}
    waived_findings = {s.key for s in rubric.photo_slots if s.key in waived and not s.required}
    for item in shown:
        slot = item.photo_slot
        if slot is None or slot in slots or slot in reported or slot in waived_findings or slot not in labels:
            continue
        value = answers.get(item.key)
        if item.type in _OPTION_TYPES and _answered(item, value) and not _value_problem(item, value) \
                and any(o.severity >= needed_from[slot] for o in _chosen_options(item, value)):
            errors.append(answer_error(slot, "photo_for_abnormal", item.label, slot=labels[slot]))
            reported.add(slot)
    known = {s.key for s in rubric.photo_slots}
    unknown = [s for s in dict.fromkeys(slots) if s not in known]
    return errors + [answer_error(s, "unknown_photo_slot", str(s)) for s in unknown]


def compare(rubric: Rubric, previous_answers: dict, answers: dict) -> list[Change]:
    """Items with options whose severity rose ("worse") or fell ("better") since the last visit.

    Severity of an answer: its option's (multi: the highest chosen, 0 for []). Items not
    validly answered in both visits are left out.
    """
    changes = []
    for item in rubric.all_items():
        if item.type not in _OPTION_TYPES:
            continue
        before, after = previous_answers.get(item.key), answers.get(item.key)
        if not (_answered(item, before) and _answered(item, after)):
            continue
        if _value_problem(item, before) or _value_problem(item, after):
            continue
        was, now = _chosen_options(item, before), _chosen_options(item, after)
        old, new = max((o.severity for o in was), default=0), max((o.severity for o in now), default=0)
        if old != new:
            changes.append(Change(item=item.key, label=item.label, direction="worse" if new > old else "better",
                                  before=_labels(was), after=_labels(now)))
    return changes


def _labels(options: list[Option]) -> str:
    return "、".join(o.label for o in options) or "なし"
