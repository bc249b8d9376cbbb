"""Hypothesis strategies: answer sets for a rubric, valid or broken in one known place.

Visibility is worked out here independently of the engine: requires_option among the task's
options, and show_if's target shown, answered and matching.
"""

from hypothesis import strategies as st

from server.rubrics import SERVICE_OPTIONS, WORK_OPTIONS, Item, Rubric


def _shown(item: Item, answers: dict, options: list[str], shown: set[str]) -> bool:
    if item.requires_option and item.requires_option not in options:
        return False
    if item.show_if is None:
        return True
    target = item.show_if.item
    if target not in shown or target not in answers:
        return False
    value = answers[target]
    chosen = value if isinstance(value, list) else [value]
    return any(type(v) is type(w) and v == w for v in chosen for w in item.show_if.in_)


def valid_value(item: Item):
    values = [o.value for o in item.options]
    if item.type == "choice":
        return st.sampled_from(values)
    if item.type == "multi":
        return st.lists(st.sampled_from(values), unique=True)
    if item.type == "boolean":
        return st.booleans()
    if item.type == "number":
        low = -10**6 if item.min is None else item.min
        high = 10**6 if item.max is None else item.max
        if item.integer:
            return st.integers(int(low), int(high))
        return st.floats(low, high, allow_nan=False, allow_infinity=False)
    return st.text(min_size=1, max_size=item.max_length)


@st.composite
def valid_visit(draw, rubric: Rubric):
    """(options, answers, shown keys): every shown required item answered, optional ones sometimes."""
    options = draw(st.lists(st.sampled_from(sorted({**SERVICE_OPTIONS, **WORK_OPTIONS})), unique=True))
    answers: dict = {}
    shown: set[str] = set()
    for item in rubric.all_items():
        if not _shown(item, answers, options, shown):
            continue
        shown.add(item.key)
        if item.required or draw(st.booleans()):
            answers[item.key] = draw(valid_value(item))
    return options, answers, shown


WRONG_TYPE = {"choice": 1, "multi": "x", "boolean": "yes", "number": "1", "text": 1}


@st.composite
def broken_visit(draw, rubric: Rubric):
    """(options, answers, item key, expected error code): a valid visit with one thing broken."""
    options, answers, shown = draw(valid_visit(rubric))
    items = {i.key: i for i in rubric.all_items()}
    breakages = [("required", k) for k in shown if items[k].required]
    breakages += [("wrong_type", k) for k in shown]
    breakages += [("unknown_option", k) for k in shown if items[k].type in ("choice", "multi")]
    breakages += [("out_of_range", k) for k in shown if items[k].type == "number"
                  and (items[k].min is not None or items[k].max is not None)]
    breakages += [("hidden_item", k) for k in items if k not in shown]
    breakages += [("unknown_item", "no_such_item")]
    code, key = draw(st.sampled_from(sorted(breakages)))
    answers = dict(answers)
    item = items.get(key)
    if code == "required":
        del answers[key]
    elif code == "wrong_type":
        answers[key] = WRONG_TYPE[item.type]
    elif code == "unknown_option":
        answers[key] = "no_such_option" if item.type == "choice" else ["no_such_option"]
    elif code == "out_of_range":
        answers[key] = item.max + 1 if item.max is not None else item.min - 1
    elif code == "hidden_item":
        answers[key] = draw(valid_value(item))
    else:
        answers[key] = True
    return options, answers, key, code
