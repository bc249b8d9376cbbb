"""How the `[reuse]` rules refer to the rest of a rubric file: items and their options, flags, statutory
categories. Read defensively from the raw TOML, like checks.py, so every problem is listed at once."""


def _dicts(value) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _table(value) -> dict:
    return value if isinstance(value, dict) else {}


def reuse_problems(file: str, raw: dict) -> list[str]:
    reuse = _table(raw.get("reuse"))
    if not reuse:
        return []
    problems: list[str] = []

    def add(where: str, english: str, japanese: str) -> None:
        problems.append(f"{file}: reuse / {where}: {english} / {japanese}")

    items = {i.get("key"): i for s in _dicts(raw.get("sections")) for i in _dicts(s.get("items"))
             if isinstance(i.get("key"), str)}
    scoring = _table(raw.get("scoring"))
    flags = {f.get("key") for f in _dicts(scoring.get("flags"))}
    statutory = _table(scoring.get("statutory")).get("categories")
    statutory = set(statutory) if isinstance(statutory, list) else set()
    if not statutory and any("statutory" in r or "category" in r
                             for part in ("demolish", "repair") for r in _dicts(reuse.get(part))):
        add("(rules)", "a rule tests the statutory score, but the rubric has no scoring.statutory",
            "不良度の条件がありますが、scoring.statutory がありません")
    for key, values in _table(reuse.get("unknown_answers")).items():
        problems += _values_problems(add, f"unknown_answers / {key}", items, key, values)
    for part in ("demolish", "repair"):
        for n, rule in enumerate(_dicts(reuse.get(part)), start=1):
            where = f"{part} #{n}"
            for flag in rule.get("flags") if isinstance(rule.get("flags"), list) else []:
                if flag not in flags:
                    add(where, f"flag {flag!r} is not declared", f"フラグ {flag!r} が scoring.flags にありません")
            category = rule.get("category")
            if isinstance(category, str) and statutory and category not in statutory:
                add(where, f"category {category!r} is not a statutory category",
                    f"点数区分 {category!r} は scoring.statutory の評定区分ではありません")
            if isinstance(rule.get("item"), str):
                problems += _values_problems(add, where, items, rule["item"], rule.get("in"))
    return problems


def _values_problems(add, where: str, items: dict, key: str, values) -> list[str]:
    item = items.get(key)
    if item is None:
        add(where, f"unknown item {key!r}", f"項目 {key!r} はありません")
        return []
    kind = item.get("type")
    if kind not in ("choice", "multi", "boolean"):
        add(where, f"{key!r} is a {kind} item; only choice, multi and boolean items can be tested",
            "条件に使えるのは選択・複数選択・はい/いいえ項目だけです")
        return []
    known = [True, False] if kind == "boolean" else [o.get("value") for o in _dicts(item.get("options"))]
    for value in values if isinstance(values, list) else []:
        if not any(type(value) is type(k) and value == k for k in known):
            add(where, f"{value!r} is not an option of {key!r}", f"{value!r} は項目 {key!r} の選択肢にありません")
    return []
