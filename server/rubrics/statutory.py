"""The statutory 不良度 of 住宅地区改良法施行規則 第1条, as a range over what could not be seen.

第1条第1項: points of each 評定項目 are summed per 評定区分, each sum capped at the 区分's
最高評点, and the capped sums added. 第1条第2項: 100 or more = 不良住宅. A carrier answers an item
it cannot see with an option marked `unseen`; such an item could have added, per category, the
highest points of its options (a multi: all its options), so

    min = Σ min(cap, seen points)        max = Σ min(cap, seen points + most the unseen could add)

and the verdict is 不良住宅 only when min reaches the threshold, 判定不能 when min < threshold <= max.
An option's `unseen_points` are what an unseen condition of a seen answer could add (the maximum
only): 2(四) イ needs a leak, so 剥落・ずれ seen from the road without a visible leak is 0〜15.
When `undetermined_if` holds (構造「不明」) the table itself cannot be chosen: 判定不能 with no range.
field_app/js/rubric-engine.js (statutoryRange) is the same algorithm.
"""

from .model import Item, Option, Rubric
from .results import STATUTORY_VERDICTS, Statutory


def statutory_range(rubric: Rubric, answers: dict, shown: list[Item], chosen, holds) -> Statutory | None:
    """`chosen(item, value)` gives the chosen options; `holds(condition)` evaluates applies_if."""
    spec = rubric.scoring.statutory
    if spec is None:
        return None
    if spec.undetermined_if is not None and holds(spec.undetermined_if):
        return Statutory(label=spec.label, verdict="undetermined", verdict_label=spec.undetermined_label,
                         min=None, max=None, min_points={}, max_points={}, unseen=[])
    if spec.applies_if is not None and not holds(spec.applies_if):
        return Statutory(label=spec.label, verdict="not_applicable", verdict_label=spec.not_applicable,
                         min=None, max=None, min_points={}, max_points={}, unseen=[])
    caps = {c.key: c.cap for c in rubric.scoring.categories if c.key in spec.categories}
    seen = {key: 0 for key in spec.categories}
    could = {key: 0 for key in spec.categories}
    unseen_items = []
    for item in shown:
        value = answers.get(item.key)
        if value is None or item.type not in ("choice", "multi", "boolean"):
            continue
        options = chosen(item, value)
        added = {key: 0 for key in spec.categories}
        if item.has_unseen_option and any(o.unseen for o in options):
            added = _most_points(item, spec.categories)
        for option in options:
            for key, points in option.unseen_points.items():  # an option's own few, not every category
                if key in added:
                    added[key] += points
        if any(added.values()):
            unseen_items.append(item.key)
        for key, points in added.items():
            could[key] += points
        for option in options:
            for key, points in option.points.items():  # an option's few points, not every category
                if key in seen:
                    seen[key] += points
    low = {key: _capped(seen[key], caps[key]) for key in spec.categories}
    high = {key: _capped(seen[key] + could[key], caps[key]) for key in spec.categories}
    minimum, maximum = sum(low.values()), sum(high.values())
    if minimum >= spec.threshold:
        verdict = "defective"
    elif maximum >= spec.threshold:
        verdict = "undetermined"
    else:
        verdict = "not_defective"
    return Statutory(label=spec.label, verdict=verdict, verdict_label=STATUTORY_VERDICTS[verdict],
                     min=minimum, max=maximum, min_points=low, max_points=high, unseen=unseen_items)


def _most_points(item: Item, categories: list[str]) -> dict[str, int]:
    seeable: list[Option] = [o for o in item.options if not o.unseen]
    if item.type == "multi":
        return {key: sum(o.points.get(key, 0) for o in seeable) for key in categories}
    return {key: max((o.points.get(key, 0) for o in seeable), default=0) for key in categories}


def _capped(points: int, cap: int | None) -> int:
    return points if cap is None else min(points, cap)
