"""Every problem of a rubric file, each naming where it is, in English / Japanese.

Two passes over the same parsed TOML, both always run so an author sees everything at once:
- structure_problems: pydantic's errors (types, missing or unknown fields, per-item rules);
- reference_problems: how parts refer to each other (show_if, categories, flags, ranks, keys).
The reference pass reads the raw data defensively, so a type error elsewhere does not hide it.
"""

from collections import Counter

from pydantic import ValidationError

from .model import SERVICE_OPTIONS, WORK_OPTIONS
from .reuse_checks import reuse_problems

# ---------------------------------------------------------------- where a problem is

_LIST_NAMES = {  # list field -> (English, Japanese, the key that names an element)
    "sections": ("section", "セクション", "key"),
    "items": ("item", "項目", "key"),
    "options": ("option", "選択肢", "value"),
    "photo_slots": ("photo slot", "写真区分", "key"),
    "categories": ("category", "点数区分", "key"),
    "multipliers": ("multiplier", "倍率", "key"),
    "ranks": ("rank", "ランク", "code"),
    "judgements": ("judgement", "判定", "key"),
    "levels": ("level", "段階", "value"),
    "flags": ("flag", "フラグ", "key"),
}


def _where(raw, loc: tuple) -> str:
    """('sections', 0, 'items', 2, 'min') -> "section 'fixed' / item 'rooms' / min"."""
    parts, node, parent_field = [], raw, None
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            node = node[step]
            english, _, name_key = _LIST_NAMES.get(parent_field, (str(parent_field), "", "key"))
            name = node.get(name_key) if isinstance(node, dict) else None
            parts[-1] = f"{english} {name!r}" if isinstance(name, (str, bool)) else f"{english} #{step + 1}"
        elif isinstance(step, str) and isinstance(node, dict) and step in node:
            node, parent_field = node[step], step
            parts.append(step)
        elif isinstance(step, str) and isinstance(node, dict):
            parts.append(step)  # a missing field
            break
        else:
            break  # pydantic's union member tags ('str', 'bool', ...) say nothing to an author
    return " / ".join(parts) or "(file)"


_JAPANESE = {
    "missing": "必須です",
    "extra_forbidden": "この名前の指定はありません（綴りを確認してください）",
    "string_type": "文字列にしてください",
    "int_type": "整数にしてください",
    "float_type": "数値にしてください",
    "bool_type": "true か false にしてください",
    "list_type": "配列にしてください",
    "dict_type": "表（テーブル）にしてください",
    "model_type": "表（テーブル）にしてください",
    "literal_error": "指定できる値ではありません",
    "too_short": "数が足りません",
    "string_too_short": "空にはできません",
    "string_pattern_mismatch": "英小文字で始まる英小文字・数字・_ にしてください",
    "greater_than_equal": "値が小さすぎます",
}


def structure_problems(file: str, raw: dict, error: ValidationError) -> list[str]:
    by_place: dict[str, list[str]] = {}
    for e in error.errors():
        where = _where(raw, e["loc"])
        if e["type"] == "value_error":
            text = e["msg"].removeprefix("Value error, ")
        else:
            text = f"{e['msg']} / {_JAPANESE.get(e['type'], '形式が正しくありません')}"
        texts = by_place.setdefault(where, [])
        if text not in texts:
            texts.append(text)
    return [f"{file}: {where}: {' | '.join(texts)}" for where, texts in by_place.items()]


# ---------------------------------------------------------------- references between parts


def _dicts(value) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _table(value) -> dict:
    return value if isinstance(value, dict) else {}


def _duplicates(values) -> list:
    counts = Counter(v for v in values if isinstance(v, (str, bool)))
    return [v for v, n in counts.items() if n > 1]


def reference_problems(file: str, raw: dict) -> list[str]:
    problems: list[str] = []

    def add(where: str, english: str, japanese: str) -> None:
        problems.append(f"{file}: {where}: {english} / {japanese}")

    sections = _dicts(raw.get("sections"))
    items = [item for s in sections for item in _dicts(s.get("items"))]
    scoring = _table(raw.get("scoring"))
    categories = {c.get("key") for c in _dicts(scoring.get("categories"))}
    flag_keys = {f.get("key") for f in _dicts(scoring.get("flags"))}

    for what, elements, field in (
        ("section key", sections, "key"),
        ("item key", items, "key"),
        ("photo slot key", _dicts(raw.get("photo_slots")), "key"),
        ("category key", _dicts(scoring.get("categories")), "key"),
        ("multiplier key", _dicts(scoring.get("multipliers")), "key"),
        ("rank code", _dicts(scoring.get("ranks")), "code"),
        ("judgement key", _dicts(scoring.get("judgements")), "key"),
        ("flag key", _dicts(scoring.get("flags")), "key"),
    ):
        for dup in _duplicates(e.get(field) for e in elements):
            add(f"{what} {dup!r}", f"duplicate {what} {dup!r}", f"{dup!r} が重複しています")

    earlier: dict[str, dict] = {}
    for item in items:
        key = item.get("key")
        where = f"item {key!r}"
        options = _dicts(item.get("options"))
        for dup in _duplicates(o.get("value") for o in options):
            add(where, f"duplicate option value {dup!r}", f"選択肢の value {dup!r} が重複しています")
        for option in options:
            for category in [*_table(option.get("points")), *_table(option.get("unseen_points"))]:
                if category not in categories:
                    add(f"{where} / option {option.get('value')!r}",
                        f"points for undeclared category {category!r}",
                        f"点数区分 {category!r} が scoring.categories にありません")
            for flag in option.get("flags") if isinstance(option.get("flags"), list) else []:
                if flag not in flag_keys:
                    add(f"{where} / option {option.get('value')!r}", f"undeclared flag {flag!r}",
                        f"フラグ {flag!r} が scoring.flags にありません")
        requires = item.get("requires_option")
        if isinstance(requires, str) and requires not in {**SERVICE_OPTIONS, **WORK_OPTIONS}:
            add(where, f"requires_option {requires!r} is not a service option"
                       f" ({', '.join({**SERVICE_OPTIONS, **WORK_OPTIONS})})",
                f"requires_option {requires!r} はサービスオプションにありません")
        condition = _table(item.get("show_if"))
        if condition:
            problems += _condition_problems(file, f"{where} / show_if", condition, earlier, items)
        if isinstance(key, str):
            earlier.setdefault(key, item)

    problems += _photo_reference_problems(file, _dicts(raw.get("photo_slots")), items)

    for multiplier in _dicts(scoring.get("multipliers")):
        condition = _table(multiplier.get("when"))
        if condition:
            everything = {i.get("key"): i for i in items if isinstance(i.get("key"), str)}
            problems += _condition_problems(
                file, f"multiplier {multiplier.get('key')!r} / when", condition, everything, items)

    for judgement in _dicts(scoring.get("judgements")):
        where = f"judgement {judgement.get('key')!r}"
        if judgement.get("category") not in categories:
            add(where, f"category {judgement.get('category')!r} is not declared",
                f"点数区分 {judgement.get('category')!r} が scoring.categories にありません")
        problems += _band_problems(file, where, ("level", "段階"), _dicts(judgement.get("levels")), "value")
        for dup in _duplicates(lv.get("value") for lv in _dicts(judgement.get("levels"))):
            add(where, f"duplicate level {dup!r}", f"段階 {dup!r} が重複しています")

    ranks = _dicts(scoring.get("ranks"))
    if ranks:
        if not 3 <= len(ranks) <= 6:
            add("scoring / ranks", f"a rank scheme needs 3 to 6 ranks, not {len(ranks)}",
                f"ランクは3〜6段階にしてください（現在{len(ranks)}段階）")
        problems += _band_problems(file, "scoring / ranks", ("rank", "ランク"), ranks, "code")
        mins = [r.get("min") for r in ranks]
        if all(isinstance(m, int) for m in mins) and mins not in (sorted(mins), sorted(mins, reverse=True)):
            add("scoring / ranks", "ranks must be listed in order of their bounds (best to worst or worst to best)",
                "ランクは点数の順（昇順または降順）に並べてください")

    problems += _statutory_problems(file, scoring, items)
    problems += reuse_problems(file, raw)

    id_, version = raw.get("id"), raw.get("version")
    expected = f"{id_}.v{version}.toml"
    if isinstance(id_, str) and isinstance(version, int) and not file.endswith(expected):
        add("(file)", f"file name must be {expected!r}", f"ファイル名は {expected!r} にしてください")
    return problems


def _statutory_problems(file: str, scoring: dict, items: list[dict]) -> list[str]:
    """scoring.statutory names declared, capped categories kept out of the total; applies_if and
    undetermined_if real items."""
    statutory = _table(scoring.get("statutory"))
    if not statutory:
        return []
    declared = {c.get("key"): c for c in _dicts(scoring.get("categories"))}
    problems = []
    for key in statutory.get("categories") if isinstance(statutory.get("categories"), list) else []:
        category = declared.get(key)
        if category is None:
            problems.append(f"{file}: scoring / statutory: category {key!r} is not declared"
                            f" / 点数区分 {key!r} が scoring.categories にありません")
        elif category.get("cap") is None or category.get("in_total", True):
            problems.append(f"{file}: scoring / statutory: category {key!r} needs a cap (最高評点) and"
                            f" in_total = false (the statutory score is never added into the total)"
                            f" / 点数区分 {key!r} には cap（最高評点）と in_total = false を指定してください")
    everything = {i.get("key"): i for i in items if isinstance(i.get("key"), str)}
    for key in ("applies_if", "undetermined_if"):
        condition = _table(statutory.get(key))
        if condition:
            problems += _condition_problems(file, f"scoring / statutory / {key}", condition, everything, items)
    return problems


def _condition_problems(file, where, condition, visible_items: dict, items: list[dict]) -> list[str]:
    target_key = condition.get("item")
    if not isinstance(target_key, str):
        return []
    if target_key not in visible_items:
        if any(i.get("key") == target_key for i in items):
            return [f"{file}: {where}: refers to {target_key!r}, which is not an earlier item"
                    f" / {target_key!r} はこの項目より前の項目ではありません"]
        return [f"{file}: {where}: refers to unknown item {target_key!r} / 項目 {target_key!r} はありません"]
    target = visible_items[target_key]
    kind = target.get("type")
    if kind not in ("choice", "multi", "boolean"):
        return [f"{file}: {where}: {target_key!r} is a {kind} item; only choice, multi and boolean items can"
                f" be conditions / 条件に使えるのは選択・複数選択・はい/いいえ項目だけです"]
    values = condition.get("in") if isinstance(condition.get("in"), list) else []
    if kind == "boolean":
        known = [True, False]
    else:
        known = [o.get("value") for o in _dicts(target.get("options"))]
    unknown = [v for v in values if not any(type(v) is type(k) and v == k for k in known)]
    return [f"{file}: {where}: {v!r} is not an option of {target_key!r}"
            f" / {v!r} は項目 {target_key!r} の選択肢にありません" for v in unknown]


def _band_problems(file, where, names, bands: list[dict], name_key: str) -> list[str]:
    """Bands must cover 0, 1, 2, ... with no overlap and no gap; the top one has no max."""
    what, what_ja = names
    bounded = [b for b in bands if isinstance(b.get("min"), int) and isinstance(b.get("max", 0), (int, type(None)))]
    if len(bounded) < len(bands):
        return []  # type errors are reported by the structure pass
    problems = []
    ordered = sorted(bounded, key=lambda b: b["min"])
    if ordered and ordered[0]["min"] != 0:
        problems.append(f"{file}: {where}: no {what} covers 0 to {ordered[0]['min'] - 1}"
                        f" / 0〜{ordered[0]['min'] - 1} 点に当てはまる{what_ja}がありません")
    for low, high in zip(ordered, ordered[1:]):
        low_name, high_name = low.get(name_key), high.get(name_key)
        if low.get("max") is None or low["max"] >= high["min"]:
            problems.append(f"{file}: {where}: {what}s {low_name!r} and {high_name!r} overlap"
                            f" / {low_name!r} と {high_name!r} の範囲が重なっています")
        elif low["max"] + 1 < high["min"]:
            problems.append(f"{file}: {where}: no {what} covers {low['max'] + 1} to {high['min'] - 1}"
                            f" / {low['max'] + 1}〜{high['min'] - 1} 点に当てはまる{what_ja}がありません")
    if ordered and ordered[-1].get("max") is not None:
        problems.append(f"{file}: {where}: the highest {what} {ordered[-1].get(name_key)!r} needs no max"
                        f" (totals above {ordered[-1]['max']} would have no {what})"
                        f" / 最上位の{what_ja}には max を指定しないでください")
    return problems


def _photo_reference_problems(file, slots: list[dict], items: list[dict]) -> list[str]:
    """An item's `photo_slot` names a slot; a slot's `waiver_item` names a choice item."""
    problems = []
    slot_keys = {s.get("key") for s in slots}
    by_key = {i.get("key"): i for i in items if isinstance(i.get("key"), str)}
    for item in items:
        slot = item.get("photo_slot")
        if slot is not None and slot not in slot_keys:
            problems.append(f"{file}: item {item.get('key')!r} / photo_slot: photo slot {slot!r} is not declared"
                            f" / 写真区分 {slot!r} が photo_slots にありません")
    for slot in slots:
        requires = slot.get("requires_option")
        if isinstance(requires, str) and requires not in {**SERVICE_OPTIONS, **WORK_OPTIONS}:
            problems.append(f"{file}: photo slot {slot.get('key')!r} / requires_option: {requires!r} is not a service"
                            f" option / requires_option {requires!r} はサービスオプションにありません")
        condition = _table(slot.get("show_if"))
        if condition:
            problems += _condition_problems(file, f"photo slot {slot.get('key')!r} / show_if", condition, by_key, items)
        waiver = slot.get("waiver_item")
        if waiver is not None and _table(by_key.get(waiver)).get("type") != "choice":
            problems.append(f"{file}: photo slot {slot.get('key')!r} / waiver_item: {waiver!r} is not a choice item"
                            f" / {waiver!r} は選択項目ではありません")
    return problems
